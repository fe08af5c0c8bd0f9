-- AlterTable
ALTER TABLE "audit_logs" ADD COLUMN "guardrails" JSONB;
