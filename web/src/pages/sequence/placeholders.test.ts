import { describe, expect, it } from 'vitest';
import { analyzeTemplate } from '../../../../src/domain/templates';
import { placeholdersIn, sequencePlaceholders, unfilledPlaceholders } from './placeholders';

describe('placeholders of a sequence', () => {
  it('should find the same placeholder texts as the renderer when a template has several, repeated, spaced or across lines', () => {
    const source = '<p>[[placeholder: the pain point]] and [[ PLACEHOLDER :  a\nmeeting day ]] [[placeholder: the pain point]] [[not one]] [placeholder: nor this]</p>';
    expect(placeholdersIn(source)).toEqual(['the pain point', 'a\nmeeting day']);
    expect(placeholdersIn(source)).toEqual(analyzeTemplate(source).placeholders);
  });

  it('should list each placeholder of the email steps once in step order when subjects and bodies of several steps have them', () => {
    const step = (stepOrder: number, actionType: 'EMAIL' | 'TASK', subject: string, body: string) =>
      ({ stepOrder, actionType, emailPattern: actionType === 'EMAIL' ? { subject, body } : null }) as never;
    const sequence = { steps: [step(1, 'EMAIL', '', '[[placeholder: b]] [[placeholder: a]]'), step(2, 'TASK', '[[placeholder: task]]', ''), step(0, 'EMAIL', 'About [[placeholder: a]]', 'Hi')] };
    expect(sequencePlaceholders(sequence)).toEqual(['a', 'b']);
  });

  it('should name the blank ones when some placeholder values are empty or spaces', () => {
    expect(unfilledPlaceholders(['a', 'b', 'c'], { a: 'x', b: '  ' })).toEqual(['b', 'c']);
  });
});
