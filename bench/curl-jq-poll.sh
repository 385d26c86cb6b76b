#!/usr/bin/env bash
# The baseline: what users write today to wait on a Marketplace publish. Polls the offer status
# with curl, reads `.status` with jq, and stops on an end state.
#   BASE=https://cloudpartner.azure.com P=contoso O=contoso-vm TOKEN=... INTERVAL=60 ./curl-jq-poll.sh
set -u
url="$BASE/api/publishers/$P/offers/$O/status?api-version=2017-10-31"
while true; do
  status=$(curl -sS -H "Authorization: Bearer $TOKEN" "$url" | jq -r '.status')
  case "$status" in
    succeeded)
      echo "Published."
      exit 0
      ;;
    failed | canceled)
      echo "Publish $status."
      exit 1
      ;;
  esac
  echo "Status: $status"
  sleep "$INTERVAL"
done
