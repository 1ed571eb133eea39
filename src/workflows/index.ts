/** The worker's workflowsPath: every workflow the task queue runs. */
export { mailboxWorkflow } from './mailbox-workflow';
export { webhookEndpointWorkflow } from './webhook-endpoint-workflow';
