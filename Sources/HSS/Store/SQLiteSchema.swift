import GRDB

/// The SQLite schema of the subscriber store, as versioned migrations (GRDB's `DatabaseMigrator` records which ran in
/// its `grdb_migrations` table). A migration that shipped is never edited: a change is a new one appended below.
///
/// The tables are plain SQL a PostgreSQL store can mirror column for column: text keys, integers, nullable columns
/// instead of sentinel values, foreign keys with `ON DELETE CASCADE`, one plain unique index, JSON as text for
/// the nested iFC model. Secrets (K, OP, OPc, the digest password) are hex; HA1 values already are.
///
/// ```
///   subscriber ─┬─< public_identity      (position keeps provisioning order; identity unique across subscribers)
///               ├── aka_credentials
///               ├── digest_credentials
///               ├─< service_profile      (filter_criteria: JSON)
///               ├── sequence_number      (SEQ_HE and IND of TS 33.102 Annex C)
///               └─< registration         (per public identity that is not plain not-registered)
///   contact_binding                      (the registrar's; removed with the subscriber by the store, not by a key)
/// ```
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: subscribers, credentials, SQN, registrations, bindings") { db in
            try db.execute(sql: version1)
        }
        return migrator
    }

    private static let version1 = """
        CREATE TABLE subscriber (
            private_identity TEXT NOT NULL PRIMARY KEY,
            preferred_scheme TEXT NOT NULL,
            capabilities TEXT NOT NULL
        );

        CREATE TABLE public_identity (
            private_identity TEXT NOT NULL REFERENCES subscriber (private_identity) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            identity TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('distinct', 'wildcarded')),
            implicit_set TEXT NOT NULL,
            barred INTEGER NOT NULL,
            service_profile TEXT,
            service_identity INTEGER NOT NULL,
            PRIMARY KEY (private_identity, position)
        );
        CREATE UNIQUE INDEX public_identity_by_identity ON public_identity (identity);

        CREATE TABLE aka_credentials (
            private_identity TEXT NOT NULL PRIMARY KEY
                REFERENCES subscriber (private_identity) ON DELETE CASCADE,
            key_hex TEXT NOT NULL,
            op_hex TEXT,
            opc_hex TEXT,
            amf_hex TEXT NOT NULL,
            CHECK ((op_hex IS NULL) <> (opc_hex IS NULL))
        );

        CREATE TABLE digest_credentials (
            private_identity TEXT NOT NULL PRIMARY KEY
                REFERENCES subscriber (private_identity) ON DELETE CASCADE,
            realm TEXT NOT NULL,
            password_hex TEXT,
            ha1_md5 TEXT,
            ha1_sha256 TEXT,
            CHECK ((password_hex IS NULL) <> (ha1_md5 IS NULL AND ha1_sha256 IS NULL))
        );

        CREATE TABLE service_profile (
            private_identity TEXT NOT NULL REFERENCES subscriber (private_identity) ON DELETE CASCADE,
            name TEXT NOT NULL,
            position INTEGER NOT NULL,
            filter_criteria TEXT NOT NULL,
            PRIMARY KEY (private_identity, name)
        );

        CREATE TABLE sequence_number (
            private_identity TEXT NOT NULL PRIMARY KEY
                REFERENCES subscriber (private_identity) ON DELETE CASCADE,
            sequence_he INTEGER NOT NULL CHECK (sequence_he >= 0),
            next_index INTEGER NOT NULL CHECK (next_index >= 0 AND next_index < 32)
        );

        CREATE TABLE registration (
            identity TEXT NOT NULL PRIMARY KEY,
            private_identity TEXT NOT NULL REFERENCES subscriber (private_identity) ON DELETE CASCADE,
            state TEXT NOT NULL CHECK (state IN ('not-registered', 'registered', 'unregistered')),
            server_name TEXT
        );
        CREATE INDEX registration_by_subscriber ON registration (private_identity);

        CREATE TABLE contact_binding (
            public_identity TEXT NOT NULL,
            position INTEGER NOT NULL,
            private_identity TEXT NOT NULL,
            contact TEXT NOT NULL,
            instance_id TEXT,
            registration_id INTEGER,
            path TEXT NOT NULL,
            call_id TEXT NOT NULL,
            cseq INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            registered_at INTEGER NOT NULL,
            received_from TEXT,
            user_agent TEXT,
            PRIMARY KEY (public_identity, position)
        );
        CREATE INDEX contact_binding_by_subscriber ON contact_binding (private_identity);
        """
}
