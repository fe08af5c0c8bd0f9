-- AlterTable
ALTER TABLE "users" ADD COLUMN "operatorGrantedAt" DATETIME;
