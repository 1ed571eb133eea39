export { startGmailSandbox } from './sandbox';
export { ControlError } from './state';
export { PUSH_SUBSCRIPTION } from './push/envelope';
export type {
  AccountGrant,
  AddressList,
  DeliveredCopy,
  DeliverInput,
  DeliverRawInput,
  FaultSpec,
  GmailMethod,
  GmailSandbox,
  GmailSandboxControl,
  GmailSandboxOptions,
  MailboxCounters,
  MessageRef,
  OutgoingAttachment,
  SandboxMessage,
  SandboxMessageDetail,
  SendAsOwnerInput,
  WatchState,
} from './types';
export { sandboxClients, type SandboxClients } from './clients';
