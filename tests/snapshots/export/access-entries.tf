locals {
  eks_cluster_name = "prod"
}

# from aws-auth.yaml:8
resource "aws_eks_access_entry" "role_eks-linux" {
  cluster_name  = local.eks_cluster_name
  principal_arn = "arn:aws:iam::111122223333:role/eks-linux"
  type          = "EC2_LINUX"
}

# from aws-auth.yaml:11
resource "aws_eks_access_entry" "role_eks-windows" {
  cluster_name  = local.eks_cluster_name
  principal_arn = "arn:aws:iam::111122223333:role/eks-windows"
  type          = "EC2_WINDOWS"
}

# from aws-auth.yaml:14
resource "aws_eks_access_entry" "role_fargate-pods" {
  cluster_name  = local.eks_cluster_name
  principal_arn = "arn:aws:iam::111122223333:role/fargate-pods"
  type          = "FARGATE_LINUX"
}

# from aws-auth.yaml:17
resource "aws_eks_access_entry" "role_hybrid" {
  cluster_name  = local.eks_cluster_name
  principal_arn = "arn:aws:iam::111122223333:role/hybrid"
  type          = "HYBRID_LINUX"
}

# from aws-auth.yaml:20
# NOTE: if the role has an IAM path, put it back in this ARN: access entries need the role's real ARN
resource "aws_eks_access_entry" "role_admins" {
  cluster_name  = local.eks_cluster_name
  principal_arn = "arn:aws:iam::111122223333:role/admins"
  type          = "STANDARD"
  user_name     = "admin:{{SessionName}}"
  kubernetes_groups = ["platform"]
}

resource "aws_eks_access_policy_association" "role_admins_policy_0" {
  cluster_name  = local.eks_cluster_name
  principal_arn = aws_eks_access_entry.role_admins.principal_arn
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
  access_scope {
    type = "cluster"
  }
}

# from aws-auth.yaml:23
# NOTE: if the role has an IAM path, put it back in this ARN: access entries need the role's real ARN
# NOTE: username 'system:ci' has a prefix EKS refuses; left for EKS to generate
# NOTE: group 'system:authenticated' cannot be migrated: EKS refuses groups starting with system:
resource "aws_eks_access_entry" "role_ci" {
  cluster_name  = local.eks_cluster_name
  principal_arn = "arn:aws:iam::111122223333:role/ci"
  type          = "STANDARD"
  kubernetes_groups = ["deployers"]
}

# from aws-auth.yaml:29
# NOTE: if the role has an IAM path, put it back in this ARN: access entries need the role's real ARN
resource "aws_eks_access_entry" "role_DEV" {
  cluster_name  = local.eks_cluster_name
  principal_arn = "arn:aws:iam::111122223333:role/DEV"
  type          = "STANDARD"
  user_name     = "dev's:{{SessionName}}"
  kubernetes_groups = ["developers"]
}

# from aws-auth.yaml:33
resource "aws_eks_access_entry" "user_alice" {
  cluster_name  = local.eks_cluster_name
  principal_arn = "arn:aws:iam::111122223333:user/alice"
  type          = "STANDARD"
  user_name     = "alice"
  kubernetes_groups = ["viewers"]
}

# NOT MIGRATED: aws-auth.yaml:26: arn:aws:iam::111122223333:role/dev is mapped again later; the later entry is used (the authenticator's last-wins; eksctl's migrator keeps the first)

# NOT MIGRATED: aws-auth.yaml:37: mapAccounts 444455556666 cannot be an access entry; create entries for the roles that need access
