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
    this.slack = operatorSecret(
      this,
      'Slack',
      secrets.slack,
      'tokenops: Slack signing secret and bot token',
      SLACK_WAIVER,
    );
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
        operatorSecret(
          this,
          `Connection${i}`,
          c.secretName,
          `tokenops: ${c.provider}:${c.connection} credentials`,
          ROTATION_WAIVERS[c.provider] ?? UNKNOWN_WAIVER,
        ),
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
function operatorSecret(scope: Construct, id: string, name: string, description: string, waiver: string): Secret {
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
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: waiver });
  return secret;
}

// Why each operator secret has no Secrets Manager rotation, per what holds it (shared/providers.md).
// Mailtrap and Cobalt *could* be rotated by API; the waiver says so and names the runbook instead.
const SLACK_WAIVER =
  'Slack signing secret and bot token: Slack offers no API to regenerate them; rotated in the app settings.';
const UNKNOWN_WAIVER = 'Provider credentials without a documented rotation API; rotated by the operator runbook.';
const ROTATION_WAIVERS: Record<string, string> = {
  vaultoro: 'Vaultoro: no rotate endpoint and token creation needs the dashboard captcha; runbook rotation.',
  vectorcharts: 'Vector Charts: portal login or a token whose id is the secret; no rotate API, runbook rotation.',
  triton: 'Triton One: no rotate endpoint (its docs say to contact Triton); rotated by the operator runbook.',
  mailtrap:
    'Mailtrap: API reset exists (old token lives 12 h) but no rotation Lambda ships yet; README runbook rotates it.',
  cobalt: 'Cobalt: API refresh exists but kills the old token at once; rotated by the README runbook instead.',
};
