import type { SourcePosition } from '../message-spec/types.js';

/** Where a row's values are in its file, by variable name: a CSV field or a spreadsheet cell. */
export interface ValuePlaces {
  at(name: string): SourcePosition | undefined;
}

/** The columns and line offsets of a row's fields, from where the row starts in its text. */
export type FieldPlacesOf = (
  start: number,
  fields: readonly string[],
) => { columns: readonly number[]; lines?: readonly number[] };

/** A CSV row's fields: their 0-based columns, and line offsets when a quoted field spans lines. */
export class CsvPlaces implements ValuePlaces {
  private places: { columns: readonly number[]; lines?: readonly number[] } | undefined;

  constructor(
    private readonly file: string,
    private readonly line: number,
    /** Works the places out on the first question (most rows get none); shared by a piece's rows. */
    private placesOf: FieldPlacesOf | undefined,
    private readonly start: number,
    private fieldsOfRow: readonly string[] | undefined,
    /** Variable name → field index, shared by the rows of a file. */
    private readonly fields: ReadonlyMap<string, number>,
  ) {}

  at(name: string): SourcePosition | undefined {
    const index = this.fields.get(name);
    if (index === undefined) return undefined;
    if (this.places === undefined) {
      this.places =
        this.placesOf && this.fieldsOfRow
          ? this.placesOf(this.start, this.fieldsOfRow)
          : { columns: [] };
      this.placesOf = undefined;
      this.fieldsOfRow = undefined;
    }
    return {
      file: this.file,
      line: this.line + (this.places.lines?.[index] ?? 0),
      column: this.places.columns[index] ?? 0,
    };
  }
}

/** A spreadsheet row's cells: the sheet and row, with the column of each variable. */
export class CellPlaces implements ValuePlaces {
  constructor(
    private readonly file: string,
    /** The sheet as written in a reference (quoted unless plain). */
    private readonly sheet: string,
    private readonly row: number,
    /** Variable name → [column index, column letters], shared by the rows of a sheet. */
    private readonly columns: ReadonlyMap<string, readonly [number, string]>,
  ) {}

  at(name: string): SourcePosition | undefined {
    const column = this.columns.get(name);
    if (column === undefined) return undefined;
    return {
      file: this.file,
      line: this.row,
      column: column[0],
      cell: `${this.sheet}!${column[1]}${this.row + 1}`,
    };
  }
}
