"""A repository of EKS access entries across every format awsauth-lint reads, for the
benchmark: eksctl ClusterConfigs, CloudFormation templates (YAML with short-form tags, and
JSON), ACK and Crossplane objects; `per_file` entries to a file, each file its own cluster.
"""

from __future__ import annotations

import json
from pathlib import Path


def access_corpus(out: Path, entries: int = 2000, per_file: int = 20) -> list[Path]:
    """`entries` access entries across eksctl, CloudFormation (YAML and JSON), ACK and
    Crossplane files, `per_file` to a file, for the clusters c0..c4."""
    files: list[Path] = []
    formats = ["eksctl", "cfn-yaml", "cfn-json", "ack", "crossplane"]
    n = 0
    f = 0
    while n < entries:
        fmt = formats[f % len(formats)]
        cluster = f"c{f % 5}"
        ids = range(n, min(n + per_file, entries))
        d = out / "access" / fmt
        d.mkdir(parents=True, exist_ok=True)
        if fmt == "eksctl":
            body = [f"apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: {cluster}-{f}\n  region: eu-west-1\n"
                    "accessConfig:\n  authenticationMode: API_AND_CONFIG_MAP\n  accessEntries:\n"]
            for i in ids:
                body.append(f"    - principalARN: arn:aws:iam::111122223333:role/team-{i}\n      kubernetesUsername: \"team-{i}:{{{{SessionName}}}}\"\n"
                            f"      kubernetesGroups: [team-{i % 50}]\n      accessPolicies:\n"
                            "        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy\n"
                            f"          accessScope: {{type: namespace, namespaces: [ns-{i % 30}]}}\n")
            p = d / f"cluster-{f}.yaml"
            p.write_text("".join(body))
        elif fmt == "cfn-yaml":
            body = ["AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
                    f"  Cluster:\n    Type: AWS::EKS::Cluster\n    Properties:\n      Name: {cluster}-{f}\n      RoleArn: !GetAtt ClusterRole.Arn\n"
                    "      AccessConfig:\n        AuthenticationMode: API_AND_CONFIG_MAP\n"]
            for i in ids:
                body.append(f"  Entry{i}:\n    Type: AWS::EKS::AccessEntry\n    Properties:\n      ClusterName: !Ref Cluster\n"
                            f"      PrincipalArn: !Sub arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/team-{i}\n"
                            f"      Username: \"team-{i}:{{{{SessionName}}}}\"\n      KubernetesGroups: [team-{i % 50}]\n")
            p = d / f"stack-{f}.yaml"
            p.write_text("".join(body))
        elif fmt == "cfn-json":
            res = {"Cluster": {"Type": "AWS::EKS::Cluster", "Properties": {"Name": f"{cluster}-{f}", "AccessConfig": {"AuthenticationMode": "API"}}}}
            for i in ids:
                res[f"Entry{i}"] = {"Type": "AWS::EKS::AccessEntry", "Properties": {
                    "ClusterName": {"Ref": "Cluster"}, "PrincipalArn": f"arn:aws:iam::111122223333:role/team-{i}",
                    "KubernetesGroups": [f"team-{i % 50}"],
                    "AccessPolicies": [{"PolicyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
                                        "AccessScope": {"Type": "namespace", "Namespaces": [f"ns-{i % 30}"]}}]}}
            p = d / f"stack-{f}.json"
            p.write_text(json.dumps({"Resources": res}, indent=2))
        elif fmt == "ack":
            docs = [f"apiVersion: eks.services.k8s.aws/v1alpha1\nkind: Cluster\nmetadata:\n  name: {cluster}-{f}\nspec:\n  name: {cluster}-{f}\n"
                    "  accessConfig:\n    authenticationMode: API_AND_CONFIG_MAP\n"]
            for i in ids:
                docs.append(f"apiVersion: eks.services.k8s.aws/v1alpha1\nkind: AccessEntry\nmetadata:\n  name: team-{i}\n  namespace: infra\n"
                            f"spec:\n  clusterRef:\n    from:\n      name: {cluster}-{f}\n  principalARN: arn:aws:iam::111122223333:role/team-{i}\n"
                            f"  kubernetesGroups: [team-{i % 50}]\n")
            p = d / f"entries-{f}.yaml"
            p.write_text("---\n".join(docs))
        else:
            docs = [f"apiVersion: eks.aws.upbound.io/v1beta1\nkind: Cluster\nmetadata:\n  name: {cluster}-{f}\nspec:\n  forProvider:\n"
                    "    region: eu-west-1\n    accessConfig:\n      - authenticationMode: API_AND_CONFIG_MAP\n"]
            for i in ids:
                docs.append(f"apiVersion: eks.aws.upbound.io/v1beta1\nkind: AccessEntry\nmetadata:\n  name: team-{i}\nspec:\n  forProvider:\n"
                            f"    region: eu-west-1\n    clusterNameRef:\n      name: {cluster}-{f}\n"
                            f"    principalArn: arn:aws:iam::111122223333:role/team-{i}\n    kubernetesGroups: [team-{i % 50}]\n")
            p = d / f"entries-{f}.yaml"
            p.write_text("---\n".join(docs))
        files.append(p)
        n += len(ids)
        f += 1
    return files
