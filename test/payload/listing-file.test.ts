// A listing survives the trip through its file unchanged; a missing, corrupt, invalid or
// inconsistent listing file is refused with an error naming it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readListing, StreamReader, takeListing, writeListing } from '../../engine/payload';
import { useTempDirs } from '../helpers/temp';

describe('listing file', () => {
  const tempDir = useTempDirs('mpb-payload-file-');

  async function saved() {
    const src = tempDir();
    fs.mkdirSync(path.join(src, 'd'));
    fs.writeFileSync(path.join(src, 'd', 'f.txt'), 'data\n');
    fs.symlinkSync('d/f.txt', path.join(src, 'l'));
    const listing = await takeListing(src, 'directory');
    const file = path.join(tempDir(), 'listing.json');
    writeListing(file, listing);
    return { listing, file };
  }

  it('round-trips, and a reader of the loaded listing produces the same stream', async () => {
    const { listing, file } = await saved();
    expect(fs.readdirSync(path.dirname(file))).toEqual(['listing.json']);
    const loaded = readListing(file);
    expect(loaded).toEqual(listing);
    const a = await new StreamReader(listing).read(0, listing.size);
    const b = await new StreamReader(loaded).read(0, loaded.size);
    expect(b.bytes.equals(a.bytes)).toBe(true);
  });

  it('refuses a missing or unparsable file by name', async () => {
    const { file } = await saved();
    const missing = path.join(path.dirname(file), 'missing.json');
    expect(() => readListing(missing)).toThrow(`cannot read listing ${missing}`);
    fs.writeFileSync(file, '{"kind": "directory", ');
    expect(() => readListing(file)).toThrow(`cannot read listing ${file}`);
  });

  it('refuses a file that does not match the schema, naming the file and the field', async () => {
    const { listing, file } = await saved();
    fs.writeFileSync(file, JSON.stringify({ ...listing, entries: [{ ...listing.entries[0], size: -1 }] }));
    expect(() => readListing(file)).toThrow(new RegExp(`^invalid listing ${file}: entries\\.0\\.size`));
    fs.writeFileSync(file, JSON.stringify({ ...listing, kind: 'tape' }));
    expect(() => readListing(file)).toThrow(`invalid listing ${file}: kind`);
    fs.writeFileSync(file, '[]');
    expect(() => readListing(file)).toThrow(`invalid listing ${file}`);
  });

  it('refuses a listing whose layout does not add up', async () => {
    const { listing, file } = await saved();
    const shifted = listing.entries.map((e, i) => (i === 1 ? { ...e, dataOffset: e.dataOffset + 512 } : e));
    fs.writeFileSync(file, JSON.stringify({ ...listing, entries: shifted }));
    expect(() => readListing(file)).toThrow(`invalid listing ${file}: entry 1 (d/f.txt) is at`);
    fs.writeFileSync(file, JSON.stringify({ ...listing, size: listing.size + 1 }));
    expect(() => readListing(file)).toThrow(`invalid listing ${file}: the stream size is`);
    const orphan = listing.entries.map((e, i) => (i === 1 ? { ...e, parent: 2 } : e));
    fs.writeFileSync(file, JSON.stringify({ ...listing, entries: orphan }));
    expect(() => readListing(file)).toThrow(`invalid listing ${file}: entry 1 (d/f.txt) has parent 2`);
  });
});
