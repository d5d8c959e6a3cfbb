// Docker's reference grammar lives in @berth/distribution; image code keeps importing it from
// here so that the move left every importer untouched.
export {
  familiarName,
  formatReference,
  normalizedTagged,
  parseReference,
  withDefaultTag,
  type Reference,
} from '@berth/distribution';
