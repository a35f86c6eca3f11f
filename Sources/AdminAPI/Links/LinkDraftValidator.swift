import ShortLinkCore
import Storage

/// The rules of a new link, shared by `POST /api/v1/links`, the bulk endpoint and the CSV
/// import, so they can never disagree.
struct LinkDraftValidator: Sendable {
    let urlRules: TargetURLRules
    let generator: ShortCodeGenerator
    /// Most tags on one link (`admin.maxTagsPerLink`).
    var maxTags: Int = 100

    /// The tags of a link: each a valid name (duplicates after trimming count once), at most
    /// `maxTags` of them (`too_many_tags`).
    /// - Parameters:
    ///   - tags: the raw names.
    ///   - field: the `tags` field's path.
    /// - Returns: the normalised names, and the errors (empty when the tags are acceptable).
    func checkTags(_ tags: [String], field: String) -> (names: [String], errors: [FieldError]) {
        var names: [String] = []
        var errors: [FieldError] = []
        for (index, tag) in tags.enumerated() {
            switch NameRules.check(tag, field: "\(field)[\(index)]") {
            case .success(let name): if !names.contains(name) { names.append(name) }
            case .failure(let error): errors.append(error)
            }
            // Stop early: a body may hold far more tags than the limit.
            if names.count > maxTags || errors.count > 10 { break }
        }
        if names.count > maxTags {
            errors.append(FieldError(field: field, code: "too_many_tags", message: "at most \(maxTags) tags per link"))
        }
        return (names, errors)
    }

    /// A checked link (and whether its code was generated), or every rule it breaks.
    /// - Parameters:
    ///   - draft: the request.
    ///   - owner: the staff member who will own the link.
    ///   - path: the draft's own path in the request (`""`, `links[3]`).
    ///   - now: for `expiresAt` in the past.
    func validate(_ draft: LinkDraft, owner: EntityID, path: String, now: Timestamp = .now())
        -> Result<(NewLink, Bool), APIError>
    {
        func field(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
        var errors: [FieldError] = []
        if let error = urlRules.check(draft.originalURL, field: field("originalUrl")) { errors.append(error) }
        var code: ShortCode?
        if let text = draft.shortCode {
            switch ShortCodeRules.check(text, field: field("shortCode")) {
            case .success(let valid): code = valid
            case .failure(let error): errors.append(error)
            }
        }
        let clientID = EntityID(draft.clientID)
        if clientID == nil { errors.append(FieldError(field: field("clientId"), code: "format", message: "must be a UUID")) }
        var campaignID: EntityID?
        if let text = draft.campaignID {
            campaignID = EntityID(text)
            if campaignID == nil { errors.append(FieldError(field: field("campaignId"), code: "format", message: "must be a UUID")) }
        }
        let (tags, tagErrors) = checkTags(draft.tags, field: field("tags"))
        errors += tagErrors
        var status = RedirectStatus.default
        if let value = draft.redirectStatus {
            if let known = RedirectStatus(rawValue: value) {
                status = known
            } else {
                errors.append(FieldError(field: field("redirectStatus"), code: "redirect_status", message: "must be 301, 302, 307 or 308"))
            }
        }
        var expiresAt: Timestamp?
        if let text = draft.expiresAt {
            switch Self.expiry(text, field: field("expiresAt")) {
            case .success(let time):
                expiresAt = time
                if time <= now {
                    errors.append(FieldError(field: field("expiresAt"), code: "in_past", message: "must be in the future"))
                }
            case .failure(let error): errors.append(error)
            }
        }
        guard errors.isEmpty, let clientID else {
            return .failure(
                APIError(
                    .validationFailed,
                    "the link breaks \(errors.count) rule(s): "
                        + errors.map(\.field).joined(separator: ", "), errors: errors))
        }
        let link = NewLink(
            shortCode: code ?? generator.next(), originalURL: draft.originalURL, redirectStatus: status,
            forwardQuery: draft.forwardQuery ?? false, expiresAt: expiresAt, userID: owner, clientID: clientID,
            campaignID: campaignID, tags: tags)
        return .success((link, code == nil))
    }

    /// Parses an `expiresAt` value.
    static func expiry(_ text: String, field: String) -> Result<Timestamp, FieldError> {
        guard let time = ISO8601.parse(text) else {
            return .failure(FieldError(field: field, code: "format", message: "must be an RFC 3339 time, e.g. 2026-12-31T23:59:59Z"))
        }
        return .success(time)
    }
}
