import Testing

@testable import ShortLinkApp

/// How the descriptor limit is split between the listeners.
@Suite struct FileDescriptorBudgetTests {
    @Test func plan_underASmallLimit_lowersBothCaps_andKeepsTheReserve() {
        let budget = FileDescriptorBudget.plan(
            limit: 1_024, role: .all, edgeConfigured: 10_000, adminConfigured: 1_000, databaseConnections: 8, threads: 4)
        #expect(budget.reserve == 96 + 8 + 1 + 16)
        #expect(budget.adminConnections == (1_024 - budget.reserve) / 5)
        #expect(budget.edgeConnections + budget.adminConnections == 1_024 - budget.reserve)
    }

    @Test func plan_underALargeLimit_keepsTheConfiguredCaps() {
        let budget = FileDescriptorBudget.plan(
            limit: 1_048_576, role: .all, edgeConfigured: 10_000, adminConfigured: 1_000, databaseConnections: 8, threads: 4)
        #expect(budget.edgeConnections == 10_000)
        #expect(budget.adminConnections == 1_000)
    }

    @Test func plan_forOneListener_givesItEverythingButTheReserve() {
        let edge = FileDescriptorBudget.plan(
            limit: 1_024, role: .edge, edgeConfigured: 10_000, adminConfigured: 1_000, databaseConnections: 8, threads: 4)
        #expect(edge.edgeConnections == 1_024 - edge.reserve)
        let admin = FileDescriptorBudget.plan(
            limit: 1_024, role: .admin, edgeConfigured: 10_000, adminConfigured: 1_000, databaseConnections: 8, threads: 4)
        #expect(admin.adminConnections == 1_024 - admin.reserve)
    }

    @Test func plan_whenTheLimitIsBelowTheReserve_stillAllowsAConnection() {
        let budget = FileDescriptorBudget.plan(
            limit: 64, role: .all, edgeConfigured: 10_000, adminConfigured: 1_000, databaseConnections: 8, threads: 4)
        #expect(budget.edgeConnections >= 1)
        #expect(budget.adminConnections >= 1)
    }
}
