import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { allocateImage, databaseFromImage } from '../../../src/main/store/sql-image';

async function sampleImage(rows: number): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  for (let i = 0; i < rows; i++) insert.run([`row ${i} ${'x'.repeat(200)}`]);
  insert.free();
  const image = db.export();
  db.close();
  return image;
}

describe('databaseFromImage', () => {
  it('hands the decrypted image to sql.js instead of copying it: the image becomes the database file', async () => {
    const SQL = await initSqlJs();
    const source = await sampleImage(100);
    const image = allocateImage(source.length);
    image.set(source);
    const db = databaseFromImage(SQL, image);
    expect(db.exec('SELECT count(*) FROM t')[0]?.values[0]?.[0]).toBe(100);
    // The first page of the file holds the schema cookie, which a schema change increments:
    // if sql.js wrote into our buffer, it used it rather than a copy.
    const before = new Uint8Array(image.buffer, 0, 100).slice();
    db.exec('CREATE TABLE u (x)');
    expect(new Uint8Array(image.buffer, 0, 100)).not.toEqual(before);
    db.close();
  });

  it('lets the database grow into the reserved room, and beyond it, without losing rows', async () => {
    const SQL = await initSqlJs();
    const source = await sampleImage(50);
    const image = allocateImage(source.length);
    image.set(source);
    expect(image.buffer.byteLength).toBeGreaterThan(source.length);
    const db = databaseFromImage(SQL, image);
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    // Well past the reserved room: sql.js then moves the file into a larger buffer of its own.
    for (let i = 0; i < 20_000; i++) insert.run([`more ${i} ${'y'.repeat(200)}`]);
    insert.free();
    expect(db.exec('SELECT count(*) FROM t')[0]?.values[0]?.[0]).toBe(20_050);
    const reopened = new SQL.Database(db.export());
    expect(reopened.exec('SELECT count(*) FROM t')[0]?.values[0]?.[0]).toBe(20_050);
    expect(reopened.exec('PRAGMA integrity_check')[0]?.values[0]?.[0]).toBe('ok');
    reopened.close();
    db.close();
  });
});
