// Loaded with `node --require` before the docs renderer starts; see networkGuard.ts.
import { installNetworkGuard } from './networkGuard';

installNetworkGuard();
