-- CreateTable
CREATE TABLE "stored_responses" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orgId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "auditId" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "response" TEXT NOT NULL,
    "input" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "stored_responses_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "organizations" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "stored_responses_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "stored_responses_projectId_idx" ON "stored_responses"("projectId");

-- CreateIndex
CREATE INDEX "stored_responses_orgId_idx" ON "stored_responses"("orgId");

-- CreateIndex
CREATE INDEX "stored_responses_expiresAt_idx" ON "stored_responses"("expiresAt");
