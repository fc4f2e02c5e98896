package dev.panoptim.sweep;

import dev.panoptim.track.RunStore;
import dev.panoptim.track.RunStores;
import dev.panoptim.track.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * {@link AgentProcessesTest}'s agent processes on a real PostgreSQL server (the agents' store as on several
 * machines); skipped, saying why, when the test suite could not start one.
 */
class PostgresAgentProcessesTest {
    final TestPostgres postgres = new TestPostgres();

    static AgentProcessesTest.StoreUnderTest store(String url) {
        return new AgentProcessesTest.StoreUnderTest() {
            public String location() {
                return url;
            }

            public RunStore open() {
                return RunStores.open(url);
            }
        };
    }

    @AfterEach
    void drop() throws SQLException {
        postgres.dropSchemas();
    }

    @Test
    void eightAgentProcessesRun200TrialsEachOnce(@TempDir Path dir) throws Exception {
        AgentProcessesTest.eightAgents(store(postgres.freshSchema()), dir);
    }

    @Test
    void aTrialWhoseAgentIsKilledIsMarkedCrashedAndRetried(@TempDir Path dir) throws Exception {
        AgentProcessesTest.killedAgent(store(postgres.freshSchema()), dir);
    }
}
