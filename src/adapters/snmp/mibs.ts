// The MIBs the mapping rules are written against, loaded into net-snmp's ModuleStore (net-snmp
// parses them; nothing here reads MIB syntax). Rules may then name objects `MODULE::name`.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import snmp from 'net-snmp';

const require = createRequire(import.meta.url);
/** IF-MIB (linkDown/linkUp, ifIndex) and what it imports, as net-snmp ships them. */
const NET_SNMP_MIBS = join(dirname(require.resolve('net-snmp/package.json')), 'lib', 'mibs');
const STANDARD = ['IANAifType-MIB.mib', 'IF-MIB.mib'].map((f) => join(NET_SNMP_MIBS, f));

export const MIB_DIR = new URL('../../../mibs/', import.meta.url).pathname;

type Store = ReturnType<typeof snmp.createModuleStore>;

export class Mibs {
  private store: Store;
  readonly files: string[] = [];

  /** Loads the standard MIBs and every `.txt`/`.mib` file of the folders given. */
  constructor(dirs: string[] = [MIB_DIR]) {
    const files = [...STANDARD];
    for (const d of new Set(dirs)) {
      for (const f of readdirSync(d).sort()) if (/\.(txt|mib|my)$/i.test(f)) files.push(join(d, f));
    }
    this.store = snmp.createModuleStore();
    // loadFromFile needs a module's imports loaded first, and a failed load leaves the store
    // unusable: retry in passes, rebuilding from the files loaded so far.
    let remaining = files;
    while (remaining.length) {
      const failed: Array<{ file: string; error: Error }> = [];
      for (const file of remaining) {
        try {
          this.store.loadFromFile(file);
          this.files.push(file);
        } catch (e) {
          failed.push({ file, error: e as Error });
          this.store = snmp.createModuleStore();
          for (const ok of this.files) this.store.loadFromFile(ok);
        }
      }
      if (failed.length === remaining.length) {
        throw new Error(`cannot load MIB ${failed[0].file}: ${failed[0].error.message}`);
      }
      remaining = failed.map((f) => f.file);
    }
  }

  /** A numeric OID as is; `MODULE::name` through the loaded MIBs. */
  resolve(name: string): string {
    if (/^\d+(\.\d+)+$/.test(name)) return name;
    try {
      return this.store.translate(name, snmp.OidFormat.oid);
    } catch {
      throw new Error(
        `"${name}" is not defined in the loaded MIBs (${this.files.map((f) => f.split('/').pop()).join(', ')})`,
      );
    }
  }
}
