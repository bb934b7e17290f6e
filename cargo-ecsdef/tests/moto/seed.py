"""Seeds a moto server with the account of the fixture workspace (tests/fixtures/aws) for
the AWS verbs' tests (tests/aws_verbs.rs): the passing scenario, or it with one thing broken.

    seed.py ENDPOINT [BREAK...]

Prints the id of the KMS key the task declares (`APP_KEY_ID`) and, on a second line, the id of
another key. Secret values hold the canary `CANARY` so that a test can prove none reaches the
output.
"""

import json
import sys

import boto3

CANARY = "canary-7Hq2-secret-value"
ACCOUNT = "123456789012"
REGION = "us-east-1"


def main():
    endpoint, breaks = sys.argv[1], set(sys.argv[2:])
    kw = dict(
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    kms = boto3.client("kms", **kw)
    key = kms.create_key(Description="app")["KeyMetadata"]
    other = kms.create_key(Description="other")["KeyMetadata"]
    if "kms-key-disabled" in breaks:
        kms.disable_key(KeyId=key["KeyId"])

    sm = boto3.client("secretsmanager", **kw)
    if "secret-missing" not in breaks:
        db = {"password": CANARY + "-db"}
        if "secret-json-key" in breaks:
            db = {"pass": CANARY + "-db"}
        sm.create_secret(Name="web/db", SecretString=json.dumps(db), KmsKeyId=key["Arn"])
    credentials = {"username": CANARY + "-user", "password": CANARY + "-pass"}
    if "credentials-json" in breaks:
        credentials = {"username": CANARY + "-user"}
    pull = sm.create_secret(
        Name="ghcr-pull",
        SecretString=json.dumps(credentials),
        KmsKeyId=(other if "secret-kms-key" in breaks else key)["Arn"],
    )
    # A second secret named like the first's ARN tail, `ghcr-pull-SUFFIX`: that text names
    # both. The test points the credentials at it (printed on a third line).
    ambiguous = None
    if "secret-ambiguous" in breaks:
        ambiguous = "ghcr-pull-" + pull["ARN"].rsplit("-", 1)[1]
        sm.create_secret(
            Name=ambiguous, SecretString=json.dumps(credentials), KmsKeyId=key["Arn"]
        )

    # The jobs task declares no key: its secret is encrypted with the AWS-managed one, unless
    # broken.
    jobs_credentials = {"username": CANARY + "-jobs", "password": CANARY + "-jobs-pass"}
    jobs = {"Name": "jobs-pull", "SecretString": json.dumps(jobs_credentials)}
    if "secret-kms-undeclared" in breaks:
        jobs["KmsKeyId"] = key["Arn"]
    sm.create_secret(**jobs)

    ssm = boto3.client("ssm", **kw)
    if "parameter-missing" not in breaks:
        ssm.put_parameter(
            Name="/web/api-token", Value=CANARY + "-token", Type="SecureString", KeyId=key["Arn"]
        )

    iam = boto3.client("iam", **kw)
    trusted = "ec2.amazonaws.com" if "role-trust" in breaks else "ecs-tasks.amazonaws.com"
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": trusted}, "Action": "sts:AssumeRole"}
        ],
    }
    iam.create_role(RoleName="web-execution", AssumeRolePolicyDocument=json.dumps(trust))
    if "role-missing" not in breaks:
        iam.create_role(RoleName="web-task", AssumeRolePolicyDocument=json.dumps(trust))
    # An inline policy for the secrets and an attached managed policy for the rest: verify
    # reads both.
    secrets = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue", "ssm:GetParameters"],
                "Resource": [
                    f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:*",
                    f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/web/*",
                ],
            },
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key["Arn"]},
        ],
    }
    if "role-policy" in breaks:
        secrets["Statement"].pop()
    iam.put_role_policy(
        RoleName="web-execution", PolicyName="secrets", PolicyDocument=json.dumps(secrets)
    )
    managed = iam.create_policy(
        PolicyName="pull-and-log",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": ["ecr:*", "logs:Create*", "logs:PutLogEvents"], "Resource": "*"}
                ],
            }
        ),
    )["Policy"]
    iam.attach_role_policy(RoleName="web-execution", PolicyArn=managed["Arn"])

    ecr = boto3.client("ecr", **kw)
    if "repository-missing" not in breaks:
        ecr.create_repository(repositoryName="web")
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 1,
                "digest": "sha256:" + "a" * 64,
            },
            "layers": [],
        }
        tag = "0.9" if "image-missing" in breaks else "1.0"
        ecr.put_image(repositoryName="web", imageManifest=json.dumps(manifest), imageTag=tag)

    logs = boto3.client("logs", **kw)
    if "log-group-missing" not in breaks:
        logs.create_log_group(logGroupName="/ecs/web")

    print(key["KeyId"])
    print(other["KeyId"])
    if ambiguous:
        print(ambiguous)


if __name__ == "__main__":
    main()
