import { describe, expect, it } from 'vitest';
import { canEdit, canSee, ownerOf, privateItemsOf } from './template-library.js';

const rita = { admin: false, userId: 1 };
const max = { admin: false, userId: 2 };
const adminUser = { admin: true, userId: 3 };
const adminToken = { admin: true, userId: null };
const ritasPrivate = { ownerUserId: 1, shared: false };
const ritasShared = { ownerUserId: 1, shared: true };

describe('template library access', () => {
  it('should show a private item to its owner and an admin token only when it is not shared', () => {
    expect([rita, max, adminUser, adminToken].map((v) => canSee(v, ritasPrivate))).toEqual([true, false, false, true]);
  });

  it('should show a shared item to everyone but let only its owner and admins change it when it is shared', () => {
    expect([rita, max, adminUser, adminToken].map((v) => canSee(v, ritasShared))).toEqual([true, true, true, true]);
    expect([rita, max, adminUser, adminToken].map((v) => canEdit(v, ritasShared))).toEqual([true, false, true, true]);
  });

  it("should list everyone's private items for an admin token, the caller's own for a user, and none for a token of no user", () => {
    expect([rita, adminUser, adminToken, { admin: false, userId: null }].map(privateItemsOf)).toEqual([1, 3, null, 0]);
  });

  it('should give a new item to the caller, or to the owner an admin names, when it is created', () => {
    expect(ownerOf(rita, undefined)).toEqual({ ownerUserId: 1 });
    expect(ownerOf(rita, 1)).toEqual({ ownerUserId: 1 });
    expect(ownerOf(rita, 2)).toEqual({ refused: 'NOT_YOURS' });
    expect(ownerOf(adminUser, 2)).toEqual({ ownerUserId: 2 });
    expect(ownerOf(adminToken, undefined)).toEqual({ refused: 'OWNER_REQUIRED' });
    expect(ownerOf(adminToken, 2)).toEqual({ ownerUserId: 2 });
  });
});
