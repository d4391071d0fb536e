package health.treatment.web.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Gives the PostgreSQL run of the IT suite an empty database (exec-maven-plugin, pre-integration-test), so the
 * schema is built by the same Flyway migrations a production start runs. Arguments: admin JDBC URL, user, and one or
 * more databases.
 */
public final class FreshPostgresDatabase {

    private FreshPostgresDatabase() {}

    public static void main(String[] args) throws SQLException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: FreshPostgresDatabase <admin-jdbc-url> <user> <database>...");
        }
        try (Connection connection = DriverManager.getConnection(args[0], args[1], "");
                Statement statement = connection.createStatement()) {
            for (int i = 2; i < args.length; i++) {
                if (!args[i].matches("[a-z_][a-z0-9_]{0,62}")) {
                    throw new IllegalArgumentException("not a plain database name: " + args[i]);
                }
                statement.execute("DROP DATABASE IF EXISTS " + args[i] + " WITH (FORCE)");
                statement.execute("CREATE DATABASE " + args[i]);
            }
        }
    }
}
