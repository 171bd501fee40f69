// Media: the tape volume format and the library drivers that load tapes (the file-backed virtual
// tape library first). One tape is one file: a label, then records of header, payload and commit
// mark (docs/volume-format.md). An interrupted write leaves at most a partial record after the end
// of data; readers ignore it and the next write at that position cuts it off.
export { EndOfMediumError, MediaError, VolumeFormatError } from './errors';
export { LABEL_SIZE, RECORD_OVERHEAD, VOLUME_FORMAT_VERSION, type RecordHeader, type RecordType, type StoredRecord, type VolumeLabel } from './format';
export { FileTapeLibrary, type LibraryDriver, type LibraryOptions } from './library';
export { readBufferSize, readLabel, type RecordFields, type Volume } from './volume';
export { salvageScan, type SalvagedItem } from './salvage';
