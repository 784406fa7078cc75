import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedCdaFixturesDir } from '../../../support/shared-fixtures';

export const sharedFixtureDir = sharedCdaFixturesDir();
export const localFixtureDir = join(import.meta.dirname, '../../../fixtures/cda');

export function sharedFixtures(): string[] {
  return readdirSync(sharedFixtureDir)
    .filter((f) => f.endsWith('.xml'))
    .sort();
}

export function readShared(name: string): Buffer {
  return readFileSync(join(sharedFixtureDir, name));
}

export function readLocal(name: string): Buffer {
  return readFileSync(join(localFixtureDir, name));
}

export const TEST_INS = '279035121518989';
const INS_ID = `<id root="1.2.250.1.213.1.4.10" extension="${TEST_INS}"/>`;

/** A small valid CDA with the given patient ids and body (structuredBody or nonXMLBody element). */
export function minimalCda(options: { body: string; patientIds?: string }): string {
  return readLocal('minimal-structured.xml')
    .toString('utf8')
    .replace('<!--PATIENT_IDS-->', options.patientIds ?? INS_ID)
    .replace('<!--BODY-->', options.body);
}

export function structuredBody(sectionXml: string): string {
  return `<structuredBody><component>${sectionXml}</component></structuredBody>`;
}
