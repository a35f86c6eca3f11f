import LibPQ

extension StorageError {
    /// The constraints the schema names for the API, with the SQLSTATE class each raises.
    static let named: [String: (raisedAs: PGError.Code, code: Code)] = [
        "links_short_code_key": (.uniqueViolation, .shortCodeTaken),
        "clients_name_key": (.uniqueViolation, .clientNameTaken),
        "campaigns_client_id_name_key": (.uniqueViolation, .campaignNameTaken),
        "tags_name_key": (.uniqueViolation, .tagNameTaken),
        "users_email_lower_key": (.uniqueViolation, .emailTaken),
        "links_client_id_fkey": (.foreignKeyViolation, .unknownClient),
        "links_campaign_client_fkey": (.foreignKeyViolation, .campaignOfAnotherClient),
        "links_user_id_fkey": (.foreignKeyViolation, .unknownUser),
        "api_tokens_user_id_fkey": (.foreignKeyViolation, .unknownUser),
        "links_redirect_status_check": (.checkViolation, .unsupportedRedirectStatus),
        "links_original_url_length": (.checkViolation, .urlTooLong),
        "links_short_code_format": (.checkViolation, .invalidShortCode),
        "links_expires_at_finite": (.checkViolation, .infiniteExpiry),
        "clients_name_not_blank": (.checkViolation, .blank(.name)),
        "campaigns_name_not_blank": (.checkViolation, .blank(.name)),
        "tags_name_not_blank": (.checkViolation, .blank(.name)),
        "users_name_not_blank": (.checkViolation, .blank(.name)),
        "api_tokens_name_not_blank": (.checkViolation, .blank(.name)),
        "users_email_not_blank": (.checkViolation, .blank(.email)),
        "links_original_url_not_blank": (.checkViolation, .blank(.originalURL)),
    ]

    /// Classifies a driver error: a named constraint first, then unavailability, then the
    /// SQLSTATE classes a request's values cause (23, 22, 54); anything else is ``Code/failed``.
    init(_ error: PGError) {
        if let constraint = error.constraint, let rule = Self.named[constraint], rule.raisedAs == error.code {
            self.init(rule.code, underlying: error)
        } else if error.isLibraryLoadFailure {
            self.init(.libraryCannotLoad, underlying: error)
        } else if error.isUnavailable {
            self.init(.unavailable, underlying: error)
        } else if let reason = Self.rejectionReason(error.sqlState) {
            self.init(.rejected(Rejection(reason: reason, constraint: error.constraint, column: error.column)), underlying: error)
        } else {
            self.init(.failed, underlying: error)
        }
    }

    static func rejectionReason(_ sqlState: String?) -> Rejection.Reason? {
        guard let sqlState else { return nil }
        if sqlState.hasPrefix("23") { return .constraint }
        if sqlState.hasPrefix("54") { return .tooLong }
        if sqlState.hasPrefix("22") { return .invalidValue }
        return nil
    }

    /// `error` as a ``StorageError`` when it came from the driver; any other error unchanged
    /// (a ``ShortLinkCore/ValidationError``, a batch rolled back…).
    static func translate(_ error: any Error) -> any Error {
        (error as? PGError).map(StorageError.init) ?? error
    }

    /// Runs `body`, translating what it throws (see ``translate(_:)``).
    static func translating<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw translate(error)
        }
    }
}
