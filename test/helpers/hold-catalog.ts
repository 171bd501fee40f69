// Child process for lock tests: opens a catalog, prints "open", waits to be killed.
import { Catalog } from '../../engine/catalog';

await Catalog.open(process.argv[2]!);
process.stdout.write('open\n');
setInterval(() => {}, 1000);
