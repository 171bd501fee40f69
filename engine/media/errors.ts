// Errors of tapes and tape libraries. Every message names the tape file (or the library
// directory) and, where there is one, the byte position on the tape.

/** Base of every media error: `where` is the tape file or library directory, `position` a byte offset. */
export class MediaError extends Error {
  override name = 'MediaError';
  constructor(
    readonly where: string,
    readonly position: number | null,
    detail: string,
  ) {
    super(`${where}${position === null ? '' : ` at byte ${position}`}: ${detail}`);
  }
}

/** The record does not fit between its position and the tape's capacity; nothing was written. */
export class EndOfMediumError extends MediaError {
  override name = 'EndOfMediumError';
  constructor(
    readonly tapeId: string,
    file: string,
    position: number,
    readonly needed: number,
    readonly capacity: number,
  ) {
    super(file, position, `end of medium on tape ${tapeId}: the record needs ${needed} bytes, ${capacity - position} of the ${capacity} are left`);
  }
}

/** A label or record is not valid where a valid one was required. */
export class VolumeFormatError extends MediaError {
  override name = 'VolumeFormatError';
}
