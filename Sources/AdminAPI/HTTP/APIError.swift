public import HTTPTypes

/// A failure the API reports as `application/problem+json` (RFC 9457): one stable `code`
/// per kind of failure, one HTTP status per code, the offending fields when there are some.
///
/// `description` never contains a token, a password or a SQL parameter: it is what the
/// client sees and what is logged.
public struct APIError: Error, Sendable, CustomStringConvertible {
    /// A stable machine-readable code and the HTTP status it always answers with.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The token, e.g. `short_code_taken`.
        public let rawValue: String
        /// The status this code answers with.
        public let status: HTTPResponse.Status
        /// A short human title.
        public let title: String

        init(_ rawValue: String, _ status: HTTPResponse.Status, _ title: String) {
            self.rawValue = rawValue
            self.status = status
            self.title = title
        }

        public var description: String { rawValue }

        public static func == (lhs: Code, rhs: Code) -> Bool { lhs.rawValue == rhs.rawValue }
        public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

        /// No `Authorization: Bearer` credentials (401).
        public static let missingCredentials = Code("missing_credentials", .unauthorized, "Authentication required")
        /// Credentials that identify nobody: unknown, revoked or expired token, bad signature… (401).
        public static let invalidCredentials = Code("invalid_credentials", .unauthorized, "Invalid credentials")
        /// A valid identity whose e-mail domain is not allowed (403).
        public static let domainNotAllowed = Code("domain_not_allowed", .forbidden, "Domain not allowed")
        /// The body is not JSON (400).
        public static let malformedJSON = Code("malformed_json", .badRequest, "Malformed JSON")
        /// The body or query has the wrong shape: unknown or missing fields, wrong types (400).
        public static let invalidRequest = Code("invalid_request", .badRequest, "Invalid request")
        /// A well-formed request whose values break a rule (422).
        public static let validationFailed = Code("validation_failed", .unprocessableContent, "Validation failed")
        /// The resource named by the path does not exist, or no route has this path and method (404).
        public static let notFound = Code("not_found", .notFound, "Not found")
        /// Another link already has this code (409).
        public static let shortCodeTaken = Code("short_code_taken", .conflict, "Short code taken")
        /// Another client already has this name (409).
        public static let clientNameTaken = Code("client_name_taken", .conflict, "Client name taken")
        /// The client already has a campaign with this name (409).
        public static let campaignNameTaken = Code("campaign_name_taken", .conflict, "Campaign name taken")
        /// Another tag already has this name (409).
        public static let tagNameTaken = Code("tag_name_taken", .conflict, "Tag name taken")
        /// Another user already has this e-mail (409).
        public static let emailTaken = Code("email_taken", .conflict, "E-mail taken")
        /// The body is larger than the configured limit (413).
        public static let payloadTooLarge = Code("payload_too_large", .contentTooLarge, "Payload too large")
        /// The body is not `application/json` (415).
        public static let unsupportedMediaType = Code("unsupported_media_type", .unsupportedMediaType, "Unsupported media type")
        /// An API token past its `expiresAt` (401).
        public static let tokenExpired = Code("token_expired", .unauthorized, "Token expired")
        /// A read-only API token used for anything but GET or HEAD (403).
        public static let tokenReadOnly = Code("token_read_only", .forbidden, "Token is read-only")
        /// A cross-origin request from an origin not in `admin.corsAllowedOrigins` (403).
        public static let originNotAllowed = Code("origin_not_allowed", .forbidden, "Origin not allowed")
        /// The caller's request rate is over `admin.rateLimitPerSecond`; see `Retry-After` (429).
        public static let rateLimited = Code("rate_limited", .tooManyRequests, "Too many requests")
        /// A dependency (the database) is unavailable (503).
        public static let unavailable = Code("unavailable", .serviceUnavailable, "Service unavailable")
        /// The database cannot be used right now: down, restarting, a killed session, no free
        /// connection (503, with `Retry-After`).
        public static let databaseUnavailable = Code("database_unavailable", .serviceUnavailable, "Database unavailable")
        /// Anything unexpected; details are only in the server log (500).
        public static let `internal` = Code("internal", .internalServerError, "Internal error")

        /// Every code, for the OpenAPI document's test.
        public static let all: [Code] = [
            .missingCredentials, .invalidCredentials, .domainNotAllowed, .malformedJSON, .invalidRequest,
            .validationFailed, .notFound, .shortCodeTaken, .clientNameTaken, .campaignNameTaken,
            .tagNameTaken, .emailTaken, .payloadTooLarge, .unsupportedMediaType, .unavailable, .internal,
            .databaseUnavailable,
            .tokenExpired, .tokenReadOnly, .originNotAllowed, .rateLimited,
        ]
    }

    /// The kind of failure.
    public var code: Code
    /// What happened, for people; never secrets.
    public var detail: String
    /// The offending fields, when the failure is about input.
    public var errors: [FieldError]

    /// Creates an API error.
    /// - Parameters:
    ///   - code: the kind.
    ///   - detail: a sentence.
    ///   - errors: offending fields; default none.
    public init(_ code: Code, _ detail: String, errors: [FieldError] = []) {
        self.code = code
        self.detail = detail
        self.errors = errors
    }

    /// The HTTP status.
    public var status: HTTPResponse.Status { code.status }

    public var description: String { "\(code.rawValue): \(detail)" }

    /// A 422 for one field.
    static func invalid(_ field: String, _ rule: String, _ message: String) -> APIError {
        APIError(.validationFailed, "\(field): \(message)", errors: [FieldError(field: field, code: rule, message: message)])
    }

    /// A 404 for a resource kind.
    static func notFound(_ what: String) -> APIError { APIError(.notFound, "no such \(what)") }

    /// The problem document.
    var problem: JSONValue {
        var members: [JSONMember] = [
            JSONMember("type", .string("urn:shortlinks:problem:\(code.rawValue)")),
            JSONMember("title", .string(code.title)),
            JSONMember("status", .int(code.status.code)),
            JSONMember("code", .string(code.rawValue)),
            JSONMember("detail", .string(detail)),
        ]
        if !errors.isEmpty { members.append(JSONMember("errors", .array(errors.map(\.json)))) }
        return .object(members)
    }
}
