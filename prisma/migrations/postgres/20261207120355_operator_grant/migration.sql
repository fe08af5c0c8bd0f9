-- AlterTable
ALTER TABLE "users" ADD COLUMN     "operatorGrantedAt" TIMESTAMP(3);
