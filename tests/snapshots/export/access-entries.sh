#!/usr/bin/env bash
# Review before running: EKS access entries generated from aws-auth.
set -euo pipefail
CLUSTER=prod

# from aws-auth.yaml:8
aws eks create-access-entry --cluster-name "$CLUSTER" --principal-arn arn:aws:iam::111122223333:role/eks-linux --type EC2_LINUX

# from aws-auth.yaml:11
aws eks create-access-entry --cluster-name "$CLUSTER" --principal-arn arn:aws:iam::111122223333:role/eks-windows --type EC2_WINDOWS

# from aws-auth.yaml:14
aws eks create-access-entry --cluster-name "$CLUSTER" --principal-arn arn:aws:iam::111122223333:role/fargate-pods --type FARGATE_LINUX

# from aws-auth.yaml:17
aws eks create-access-entry --cluster-name "$CLUSTER" --principal-arn arn:aws:iam::111122223333:role/hybrid --type HYBRID_LINUX

# from aws-auth.yaml:20
# NOTE: if the role has an IAM path, put it back in this ARN: access entries need the role's real ARN
aws eks create-access-entry --cluster-name "$CLUSTER" --principal-arn arn:aws:iam::111122223333:role/admins --type STANDARD --username 'admin:{{SessionName}}' --kubernetes-groups platform
aws eks associate-access-policy --cluster-name "$CLUSTER" --principal-arn arn:aws:iam::111122223333:role/admins --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster

# from aws-auth.yaml:23
# NOTE: if the role has an IAM path, put it back in this ARN: access entries need the role's real ARN
# NOTE: username 'system:ci' has a prefix EKS refuses; left for EKS to generate
# NOTE: group 'system:authenticated' cannot be migrated: EKS refuses groups starting with system:
aws eks create-access-entry --cluster-name "$CLUSTER" --principal-arn arn:aws:iam::111122223333:role/ci --type STANDARD --kubernetes-groups deployers

# from aws-auth.yaml:29
# NOTE: if the role has an IAM path, put it back in this ARN: access entries need the role's real ARN
aws eks create-access-entry --cluster-name "$CLUSTER" --principal-arn arn:aws:iam::111122223333:role/DEV --type STANDARD --username 'dev'"'"'s:{{SessionName}}' --kubernetes-groups developers

# from aws-auth.yaml:33
aws eks create-access-entry --cluster-name "$CLUSTER" --principal-arn arn:aws:iam::111122223333:user/alice --type STANDARD --username alice --kubernetes-groups viewers

# NOT MIGRATED: aws-auth.yaml:26: arn:aws:iam::111122223333:role/dev is mapped again later; the later entry is used (the authenticator's last-wins; eksctl's migrator keeps the first)
# NOT MIGRATED: aws-auth.yaml:37: mapAccounts 444455556666 cannot be an access entry; create entries for the roles that need access
