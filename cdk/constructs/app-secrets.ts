import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StackConfig } from '../stack-config.js';

/** What an unfilled secret holds: valid JSON that says what to do, and no credential. */
export const PLACEHOLDER_NOTE =
  'not filled in yet: put the real value with put-secret-value (README.md, "Filling the secrets")';

/** The Secrets Manager secrets the functions read at run time. */
export class AppSecrets extends Construct {
  /** JSON {signingSecret, botToken}, filled by the operator. */
  readonly slack: Secret;
  /** The fingerprint HMAC key, generated here: nobody needs to know it. */
  readonly fingerprintKey: Secret;
  /** Signs leak reports sent to `POST /leaks`: generated here, then shared with the scanners. */
  readonly leakSigning: Secret;
  /** One per provider connection, keyed by `provider:connection`, filled by the operator. */
  readonly connections: Map<string, Secret>;

  constructor(scope: Construct, id: string, secrets: StackConfig['secrets']) {
    super(scope, id);
    this.slack = operatorSecret(this, 'Slack', secrets.slack, 'tokenops: Slack signing secret and bot token');
    this.fingerprintKey = new Secret(this, 'FingerprintKey', {
      secretName: secrets.fingerprintKey,
      description: 'tokenops: HMAC key for token fingerprints (generated; do not change)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Rotating this key would orphan every stored fingerprint, so it is deliberately static.
    Validations.of(this.fingerprintKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Fingerprint HMAC key: rotating it would make every stored fingerprint unmatchable.',
    });
    this.leakSigning = new Secret(this, 'LeakSigning', {
      secretName: secrets.leakSigning,
      description: 'tokenops: shared secret that signs leak reports (POST /leaks); give it to your scanners',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Scanners hold a copy: a rotation must be coordinated with them, so it is an operator procedure.
    Validations.of(this.leakSigning).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Shared with external scanners that sign leak reports; rotation is coordinated by the operator.',
    });
    this.connections = new Map(
      secrets.connections.map((c, i) => [
        `${c.provider}:${c.connection}`,
        operatorSecret(this, `Connection${i}`, c.secretName, `tokenops: ${c.provider}:${c.connection} credentials`),
      ]),
    );
  }

  /** Every secret an operator has to fill in, for the stack outputs. */
  get operatorSecrets(): Secret[] {
    return [this.slack, ...this.connections.values()];
  }
}

/**
 * A secret whose value the operator supplies. CloudFormation cannot create a secret without a value,
 * so it starts as a generated JSON placeholder: no real value ever appears in the template.
 * NEVER change the generator settings below: CloudFormation would then generate a new value and
 * overwrite what the operator put in every deployed secret.
 */
function operatorSecret(scope: Construct, id: string, name: string, description: string): Secret {
  const secret = new Secret(scope, id, {
    secretName: name,
    description,
    generateSecretString: {
      secretStringTemplate: JSON.stringify({ tokenopsPlaceholder: PLACEHOLDER_NOTE }),
      generateStringKey: 'random',
      excludePunctuation: true,
      passwordLength: 16,
    },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // Slack signing secrets/bot tokens and provider admin tokens are issued in those services' web apps;
  // no API lets a Lambda rotation function mint a new one, so rotation is an operator procedure.
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason: 'Issued by Slack or the provider web app; no API to rotate it automatically (operator runbook).',
  });
  return secret;
}
