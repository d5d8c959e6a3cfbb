export { NotifyError, notifyReady, notifyStatus, notifyStopping, sdNotify } from './notify';
export {
  SD_LISTEN_FDS_START,
  listenFds,
  listenOnFd,
  parseListenFds,
  selectListenFds,
  type ListenFd,
} from './listen-fds';
export { isJournalStream, underSystemd } from './detect';
export { journalFieldName, journalFields } from './journal-fields';
export {
  journalDestination,
  logDestination,
  sendToJournal,
  stderrDestination,
  type JournalSend,
  type LogDestination,
} from './journal-destination';
export {
  enterDelegatedLeaf,
  unifiedPath,
  type DelegatedCgroup,
  type DelegationOptions,
} from './delegated-cgroup';
