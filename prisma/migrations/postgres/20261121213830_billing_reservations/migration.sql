-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "reservedMicros" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "reservedCreditsMicros" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "reservedUsdMicros" BIGINT NOT NULL DEFAULT 0;
