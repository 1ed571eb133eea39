import { describe, expect, test } from 'vitest';
import { explainReason, isReasonCode, REASONS } from './reasons';

const RULES = Array.from({ length: 23 }, (_, i) => `R${i + 1}`);

describe('R1–R23 the reason catalogue behind the explain API', () => {
  test('R1–R23: every code names a known rule, a kind and one line of explanation', () => {
    for (const [code, info] of Object.entries(REASONS)) {
      expect(code).toMatch(/^[a-z][a-z_]*[a-z]$/);
      expect(RULES).toContain(info.ruleId);
      expect(['synced', 'skipped', 'matched', 'note']).toContain(info.kind);
      expect(info.text).toMatch(/^[A-Z"'].{10,140}\.$/);
      expect(info.text).not.toContain('\n');
    }
  });

  test('R1–R23: every rule that decides where a message goes has a code', () => {
    const covered = new Set(Object.values(REASONS).map((info) => info.ruleId));
    for (const rule of ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R11', 'R12', 'R13', 'R14', 'R15', 'R17', 'R18', 'R21', 'R22', 'R23']) {
      expect(covered).toContain(rule);
    }
  });

  test('R22: a stored code explains itself; a code this version does not know is undefined', () => {
    expect(explainReason('duplicate')).toStrictEqual({ ruleId: 'R22', kind: 'skipped', text: 'Already stored in this location.' });
    expect(explainReason('no_such_code')).toBeUndefined();
    expect(isReasonCode('toString')).toBe(false);
  });
});
