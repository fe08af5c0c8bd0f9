-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_api_keys" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orgId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "models" JSONB,
    "rpmLimit" INTEGER,
    "tpmLimit" INTEGER,
    "budgetMicros" BIGINT,
    "spentMicros" BIGINT NOT NULL DEFAULT 0,
    "reservedMicros" BIGINT NOT NULL DEFAULT 0,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME,
    "lastUsedAt" DATETIME,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "api_keys_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "organizations" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "api_keys_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_api_keys" ("budgetMicros", "createdAt", "createdById", "expiresAt", "id", "keyHash", "lastUsedAt", "models", "name", "orgId", "prefix", "projectId", "revokedAt", "rpmLimit", "spentMicros", "tpmLimit") SELECT "budgetMicros", "createdAt", "createdById", "expiresAt", "id", "keyHash", "lastUsedAt", "models", "name", "orgId", "prefix", "projectId", "revokedAt", "rpmLimit", "spentMicros", "tpmLimit" FROM "api_keys";
DROP TABLE "api_keys";
ALTER TABLE "new_api_keys" RENAME TO "api_keys";
CREATE UNIQUE INDEX "api_keys_keyHash_key" ON "api_keys"("keyHash");
CREATE INDEX "api_keys_orgId_createdAt_idx" ON "api_keys"("orgId", "createdAt");
CREATE INDEX "api_keys_projectId_idx" ON "api_keys"("projectId");
CREATE TABLE "new_organizations" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "creditsMicros" BIGINT NOT NULL DEFAULT 0,
    "usdMicros" BIGINT NOT NULL DEFAULT 0,
    "reservedCreditsMicros" BIGINT NOT NULL DEFAULT 0,
    "reservedUsdMicros" BIGINT NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_organizations" ("createdAt", "creditsMicros", "id", "isDefault", "name", "updatedAt", "usdMicros") SELECT "createdAt", "creditsMicros", "id", "isDefault", "name", "updatedAt", "usdMicros" FROM "organizations";
DROP TABLE "organizations";
ALTER TABLE "new_organizations" RENAME TO "organizations";
CREATE INDEX "organizations_isDefault_idx" ON "organizations"("isDefault");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
