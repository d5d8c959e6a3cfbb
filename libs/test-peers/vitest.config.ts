import { berthProject } from '../../vitest.shared';

export default berthProject('test-peers');
