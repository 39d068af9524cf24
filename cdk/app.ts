import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { TokenOpsStack } from './stack.js';
import { configPathFrom, loadStackConfig } from './stack-config.js';

// The CDK app: `npx cdk synth` / `npx cdk deploy`. Everything configurable comes from the operator's
// config file (`-c config=PATH`, TOKENOPS_CONFIG_FILE, or tokenops.config.yaml), validated before
// any construct exists. The stack has no env: it deploys to the account/region of the CLI profile.
const app = new App();
try {
  const config = loadStackConfig(configPathFrom(app.node.tryGetContext('config')));
  new TokenOpsStack(app, config.deploy.stackName, { config });
} catch (e) {
  // A config error is for the operator: print the field list, not a stack trace.
  console.error(`tokenops: ${(e as Error).message}`);
  process.exit(1);
}
// cdk-nag runs as a CDK validation plugin: an unacknowledged finding fails synth and deploy.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
app.synth();
