import LibPQ
import Testing

/// Which libpq errors mean "the database cannot be used now", and the recogniser of a
/// server whose binaries were upgraded under it.
@Suite struct PGErrorAvailabilityTests {
    static let libraryMessage =
        #"could not load library "/usr/lib/postgresql/15/lib/plpgsql.so": /usr/lib/postgresql/15/lib/plpgsql.so: undefined symbol: pg_encoding_max_length_ext"#

    @Test(arguments: ["58P01", "XX000"])
    func libraryLoadFailure_isRecognisedFromTheServersMessage(sqlState: String) {
        let error = PGError(code: .forSQLState(sqlState), sqlState: sqlState, message: Self.libraryMessage)
        #expect(error.isLibraryLoadFailure)
        #expect(error.isUnavailable)
    }

    @Test func otherLoadOrFileErrors_areNotTheLibraryFailure() {
        let missingFile = PGError(code: .serverError, sqlState: "58P01", message: #"could not open file "base/1/2": No such file or directory"#)
        #expect(!missingFile.isLibraryLoadFailure)
        let wrongState = PGError(code: .syntaxOrAccess, sqlState: "42883", message: Self.libraryMessage)
        #expect(!wrongState.isLibraryLoadFailure)
        let missingLibrary = PGError(
            code: .serverError, sqlState: "58P01",
            message: #"could not access file "$libdir/hll": No such file or directory"#)
        #expect(!missingLibrary.isLibraryLoadFailure)
    }

    @Test(arguments: ["08006", "08001", "57P01", "57P02", "57P03", "53300"])
    func connectionAndShutdownStates_areUnavailable(sqlState: String) {
        #expect(PGError(code: .forSQLState(sqlState), sqlState: sqlState, message: "x").isUnavailable)
    }

    @Test func clientSideConnectionErrors_areUnavailable() {
        for code in [PGError.Code.connectionLost, .connectionFailed, .poolTimeout, .closed] {
            #expect(PGError(code: code, message: "server closed the connection unexpectedly").isUnavailable)
        }
    }

    @Test(arguments: ["23505", "23503", "22001", "42P01", "57014", "40001", "25006"])
    func statementErrors_areNotUnavailable(sqlState: String) {
        #expect(!PGError(code: .forSQLState(sqlState), sqlState: sqlState, message: "x").isUnavailable)
    }
}
