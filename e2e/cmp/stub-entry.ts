// The IAB stub installs a queueing window.__tcfapi before the CMP (and Attune) load.
import stub from '@iabtechlabtcf/stub';

stub();
