// Failover backups (SPEC "Backup, mode B") under every fault of the matrix.
import { faultMatrix } from './fault-matrix';

faultMatrix('failover');
