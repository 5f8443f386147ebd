# Data sources the module reads, pinned so its ARN-building locals and preconditions
# see a consistent partition, Region and account (shared by every tests/*.tftest.hcl).

mock_data "aws_partition" {
  defaults = { partition = "aws" }
}

mock_data "aws_service" {
  defaults = { region = "us-east-1", dns_name = "dynamodb.us-east-1.amazonaws.com" }
}

mock_data "aws_caller_identity" {
  defaults = { account_id = "123456789012" }
}

mock_data "aws_iam_policy_document" {
  defaults = { json = "{}" }
}
