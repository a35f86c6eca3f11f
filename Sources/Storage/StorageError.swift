import LibPQ

/// What the database refused or could not do, in the domain's words: the repositories
/// (and the other stores behind ``Database``) throw this instead of a driver error, so their
/// callers never match SQLSTATEs or constraint names.
///
/// `description` is safe to log: the driver's redacted text (SQLSTATE, the server's message,
/// the constraint it names), never a parameter value or a password; `debugDescription` adds
/// the server's detail and the statement.
public struct StorageError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong; one case per constraint the schema names for this, then the classes.
    public enum Code: Sendable, Hashable {
        /// Another link has this short code (`links_short_code_key`).
        case shortCodeTaken
        /// Another client has this name (`clients_name_key`).
        case clientNameTaken
        /// The client already has a campaign of this name (`campaigns_client_id_name_key`).
        case campaignNameTaken
        /// Another tag has this name (`tags_name_key`).
        case tagNameTaken
        /// Another user has this e-mail, in any case (`users_email_lower_key`).
        case emailTaken
        /// No client has the link's client id (`links_client_id_fkey`).
        case unknownClient
        /// No user has the id a link or token names (`links_user_id_fkey`, `api_tokens_user_id_fkey`).
        case unknownUser
        /// No campaign with this id belongs to the link's client (`links_campaign_client_fkey`).
        case campaignOfAnotherClient
        /// The redirect status is not 301, 302, 307 or 308 (`links_redirect_status_check`).
        case unsupportedRedirectStatus
        /// A required text is empty (the `…_not_blank` checks).
        case blank(Field)
        /// The link's target is longer than the schema allows (`links_original_url_length`).
        case urlTooLong
        /// The short code is not 1 to 64 of `A-Z a-z 0-9 _ -` (`links_short_code_format`).
        case invalidShortCode
        /// The expiry is `infinity` or `-infinity` (`links_expires_at_finite`).
        case infiniteExpiry
        /// A value the database refused for a rule no case above names.
        case rejected(Rejection)
        /// The database cannot be used right now (down, restarting, refusing sessions, the
        /// pool had no connection in time or is shut down); try again later.
        case unavailable
        /// New sessions cannot load a Postgres library: the server's binaries were most
        /// likely upgraded under it, and only a restart of the Postgres server helps. A kind
        /// of ``unavailable``.
        case libraryCannotLoad
        /// Anything else (a bug, a full disk, a result that does not decode).
        case failed
    }

    /// The stored field a ``Code/blank(_:)`` names.
    public enum Field: Sendable, Hashable {
        /// A user's, client's, campaign's, tag's or token's name.
        case name
        /// A user's e-mail.
        case email
        /// A link's target.
        case originalURL
    }

    /// A value refused by a rule of the schema that no ``Code`` names.
    public struct Rejection: Sendable, Hashable {
        /// Why, by SQLSTATE class.
        public enum Reason: Sendable, Hashable {
            /// An integrity rule (class 23: a check, a unique key, a reference, NOT NULL).
            case constraint
            /// A program limit (class 54, e.g. an index row too large).
            case tooLong
            /// A data exception (class 22: out of range, an invalid byte sequence…).
            case invalidValue
        }

        /// Why.
        public var reason: Reason
        /// The constraint the database names, if any.
        public var constraint: String?
        /// The column the database names (snake_case, as in the schema), if any.
        public var column: String?
    }

    /// What went wrong.
    public let code: Code
    /// The driver's error, for the description and the readiness advice.
    let underlying: PGError?

    init(_ code: Code, underlying: PGError?) {
        self.code = code
        self.underlying = underlying
    }

    /// Whether the database cannot be used now, rather than the request being wrong: callers
    /// answer 503 and may try again.
    public var isUnavailable: Bool { code == .unavailable || code == .libraryCannotLoad }

    public var description: String { underlying?.description ?? "StorageError.\(code)" }

    public var debugDescription: String { underlying?.debugDescription ?? description }
}
