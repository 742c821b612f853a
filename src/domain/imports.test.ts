import { describe, expect, it } from 'vitest';
import { isBlankRow, mapRow, parseMapFlag, resolveColumns, suggestMapping } from './imports.js';

const header = ['Email', 'First Name', 'Notes'];

describe('resolveColumns', () => {
  it('should tie each mapping to its column by header name, ignoring case, when the file has it', () => {
    const { columns, problems } = resolveColumns(header, [{ columnName: 'email', propertyName: 'email' }, { columnName: 'First Name', propertyName: 'firstname' }, { columnName: 'Notes', propertyName: null }], '0-1');
    expect(problems).toEqual([]);
    expect(columns).toEqual([
      { index: 0, columnName: 'Email', objectTypeId: '0-1', propertyName: 'email' },
      { index: 1, columnName: 'First Name', objectTypeId: '0-1', propertyName: 'firstname' },
    ]);
  });

  it('should name the mapping when its column is missing, its property is mapped twice or is maintained by Seqflow', () => {
    const { problems } = resolveColumns(header, [
      { columnName: 'Email', propertyName: 'email' },
      { columnName: 'Mail', propertyName: 'phone' },
      { columnName: 'First Name', propertyName: 'email' },
      { columnName: 'Notes', propertyName: 'hs_object_source' },
    ], '0-1');
    expect(problems.map((p) => p.in)).toEqual([
      'importRequest.files[0].fileImportPage.columnMappings[1].columnName',
      'importRequest.files[0].fileImportPage.columnMappings[2].propertyName',
      'importRequest.files[0].fileImportPage.columnMappings[3].propertyName',
    ]);
  });

  it('should refuse a mapping without the match property when no column maps to email', () => {
    const { problems } = resolveColumns(header, [{ columnName: 'First Name', propertyName: 'firstname' }], '0-1');
    expect(problems[0].message).toContain('email');
  });
});

describe('mapRow', () => {
  const { columns } = resolveColumns(header, [{ columnName: 'Email', propertyName: 'email' }, { columnName: 'First Name', propertyName: 'firstname' }], '0-1');

  it('should give the mapped properties, trimmed and without empty cells, when the row is good', () => {
    expect(mapRow([' a@b.co ', '', 'x'], 3, columns, '0-1')).toEqual({ ok: true, properties: { email: 'a@b.co' } });
  });

  it('should reject the row with INVALID_EMAIL and the column when the email is malformed', () => {
    expect(mapRow(['a@b', 'A', ''], 3, columns, '0-1')).toMatchObject({ ok: false, error: { errorType: 'INVALID_EMAIL', knownColumnNumber: 1, invalidValue: 'a@b' } });
  });

  it('should reject the row with MISSING_REQUIRED_PROPERTY when the email is empty', () => {
    expect(mapRow(['', 'A', ''], 3, columns, '0-1')).toMatchObject({ ok: false, error: { errorType: 'MISSING_REQUIRED_PROPERTY' } });
  });

  it('should reject the row with INCORRECT_NUMBER_OF_COLUMNS when its width differs from the header', () => {
    expect(mapRow(['a@b.co', 'A'], 3, columns, '0-1')).toMatchObject({ ok: false, error: { errorType: 'INCORRECT_NUMBER_OF_COLUMNS' } });
  });

  it('should call a row blank when every cell is empty', () => {
    expect(isBlankRow(['', ' '])).toBe(true);
    expect(isBlankRow(['', 'x'])).toBe(false);
  });
});

describe('suggestMapping', () => {
  it('should map headers by property name, label or common alias and leave the rest unmapped', () => {
    const known = [{ name: 'email', label: 'Email' }, { name: 'firstname', label: 'First name' }, { name: 'jobtitle', label: 'Job title' }];
    expect(suggestMapping(['E-mail Address', 'First Name', 'Title', 'Favourite colour'], known)).toEqual([
      { columnName: 'E-mail Address', propertyName: 'email' },
      { columnName: 'First Name', propertyName: 'firstname' },
      { columnName: 'Title', propertyName: 'jobtitle' },
      { columnName: 'Favourite colour', propertyName: null },
    ]);
  });
});

describe('parseMapFlag', () => {
  it('should read property=column pairs with quoted column names when given the CLI flag', () => {
    expect(parseMapFlag('email=Email,firstname="First Name",company="Acme, Inc ""name"""')).toEqual([
      { propertyName: 'email', columnName: 'Email' },
      { propertyName: 'firstname', columnName: 'First Name' },
      { propertyName: 'company', columnName: 'Acme, Inc "name"' },
    ]);
  });

  it('should throw naming the unreadable rest when a pair has no equals sign', () => {
    expect(() => parseMapFlag('email=Email,firstname')).toThrow(/firstname/);
  });
});
