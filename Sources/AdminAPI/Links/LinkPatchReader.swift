import ShortLinkCore
import Storage

/// Reads and checks a `PATCH /api/v1/links/{id}` body: any of `originalUrl`, `shortCode`,
/// `campaignId` (null clears), `tags` (replaces all), `redirectStatus`, `forwardQuery`,
/// `expiresAt` (null: never expires). The client of a link cannot change.
enum LinkPatchReader {
    static func read(_ reader: inout FieldReader, validator: LinkDraftValidator) throws -> LinkPatch {
        let urlRules = validator.urlRules
        let originalURL = reader.string("originalUrl")
        let shortCode = reader.string("shortCode")
        let campaign = reader.patchString("campaignId")
        let tags = reader.stringArray("tags")
        let redirectStatus = reader.int("redirectStatus")
        let forwardQuery = reader.bool("forwardQuery")
        let expiry = reader.patchString("expiresAt")
        try reader.finish()
        try reader.refuseNulls(["originalUrl", "shortCode", "tags", "redirectStatus", "forwardQuery"])
        var errors: [FieldError] = []
        var patch = LinkPatch()
        if let originalURL {
            if let error = urlRules.check(originalURL, field: "originalUrl") { errors.append(error) } else { patch.originalURL = originalURL }
        }
        if let shortCode {
            switch ShortCodeRules.check(shortCode, field: "shortCode") {
            case .success(let code): patch.shortCode = code
            case .failure(let error): errors.append(error)
            }
        }
        switch campaign {
        case .absent: break
        case .null: patch.campaignID = .some(nil)
        case .value(let text):
            if let id = EntityID(text) {
                patch.campaignID = .some(id)
            } else {
                errors.append(FieldError(field: "campaignId", code: "format", message: "must be a UUID"))
            }
        }
        if let tags {
            let (names, tagErrors) = validator.checkTags(tags, field: "tags")
            if tagErrors.isEmpty { patch.tags = names } else { errors += tagErrors }
        }
        if let redirectStatus {
            if let status = RedirectStatus(rawValue: redirectStatus) {
                patch.redirectStatus = status
            } else {
                errors.append(FieldError(field: "redirectStatus", code: "redirect_status", message: "must be 301, 302, 307 or 308"))
            }
        }
        patch.forwardQuery = forwardQuery
        switch expiry {
        case .absent: break
        case .null: patch.expiresAt = .some(nil)
        case .value(let text):
            switch LinkDraftValidator.expiry(text, field: "expiresAt") {
            case .success(let time): patch.expiresAt = .some(time)
            case .failure(let error): errors.append(error)
            }
        }
        guard errors.isEmpty else {
            throw APIError(
                .validationFailed, "the change breaks \(errors.count) rule(s): " + errors.map(\.field).joined(separator: ", "), errors: errors)
        }
        return patch
    }
}
