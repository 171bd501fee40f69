// Mirrored backups (SPEC "Backup, mode A") under every fault of the matrix.
import { faultMatrix } from './fault-matrix';

faultMatrix('mirrored');
