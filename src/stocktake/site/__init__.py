"""What spans domains: pages and commands that bring several domains together, above them all."""
