import { berthProject } from '../../vitest.shared';

export default berthProject('distribution');
