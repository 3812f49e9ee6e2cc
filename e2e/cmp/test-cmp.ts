// A minimal CMP for the e2e tests, built from the IAB Tech Lab reference packages: it encodes a
// real TC string with @iabtechlabtcf/core and serves it through @iabtechlabtcf/cmpapi.
import { CmpApi } from '@iabtechlabtcf/cmpapi';
import { GVL, TCModel, TCString } from '@iabtechlabtcf/core';
import vendorList from './gvl.json' with { type: 'json' };

const CMP_ID = 300;
const STORAGE_KEY = 'test-cmp.tc-string';
const cmpApi = new CmpApi(CMP_ID, 1, false);
const gvl = new GVL(vendorList as ConstructorParameters<typeof GVL>[0]);

function decide(purposeIds: number[]): void {
  const model = new TCModel(gvl);
  model.cmpId = CMP_ID;
  model.cmpVersion = 1;
  model.purposeConsents.set(purposeIds);
  const tcString = TCString.encode(model);
  localStorage.setItem(STORAGE_KEY, tcString);
  cmpApi.update(tcString, false);
}

const stored = localStorage.getItem(STORAGE_KEY);
cmpApi.update(stored ?? '', stored === null);

(window as unknown as { testCmp: unknown }).testCmp = {
  acceptAll: () => decide([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
  rejectAll: () => decide([]),
  choose: decide,
};
