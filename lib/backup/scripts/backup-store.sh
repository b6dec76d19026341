#!/usr/bin/env bash
# The backup store and the ledger facts the backup and restore scripts share; sourced after
# common.sh, never run on its own. A backup NAME is the folder NAME/ of the store, holding one
# NODE.tar.gz (the node's whole ledger volume) and NODE.json (its record) per node, and the
# manifest.json the backup Job writes last: a backup without a manifest is incomplete.
#
# STORE_KIND=s3: an S3-compatible bucket, S3_ENDPOINT/S3_BUCKET/S3_PREFIX, path-style requests
# signed (SigV4, S3_REGION) by the curl of the tools image, with the access key pair read from
# S3_CREDENTIALS_DIR/{accessKeyId,secretAccessKey}. STORE_KIND=volume: the folder STORE_DIR.

STORE_OUT="${WORK_DIR}/store.out"
# SigV4 signs the payload's sha256; a request without a body signs the sha256 of nothing.
EMPTY_PAYLOAD_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

# s3_request KEY PAYLOAD_SHA256 CURL_ARG...: prints the HTTP status of a signed request for KEY;
# the body goes to STORE_OUT.
s3_request() {
  local key=$1 payload=$2 id secret
  shift 2
  id=$(cat "${S3_CREDENTIALS_DIR}/accessKeyId")
  secret=$(cat "${S3_CREDENTIALS_DIR}/secretAccessKey")
  curl -sS -o "${STORE_OUT}" -w '%{http_code}' --max-time "${STORE_TIMEOUT_SECONDS:-1800}" \
    --aws-sigv4 "aws:amz:${S3_REGION}:s3" --user "${id}:${secret}" \
    -H "x-amz-content-sha256: ${payload}" "$@" "${S3_ENDPOINT%/}/${S3_BUCKET}/${S3_PREFIX}${key}"
}

# s3_reason STATUS KEY: what the bucket answered, for a log line.
s3_reason() {
  local code
  code=$(sed -n 's:.*<Code>\(.*\)</Code>.*:\1:p' "${STORE_OUT}" 2>/dev/null | head -n 1)
  echo "the bucket ${S3_BUCKET} at ${S3_ENDPOINT} answered ${1}${code:+ (${code})} for ${S3_PREFIX}${2}"
}

# store_put FILE KEY: stores FILE under KEY, whole or not at all.
store_put() {
  local file=$1 key=$2 status
  if [[ "${STORE_KIND}" == volume ]]; then
    mkdir -p "$(dirname "${STORE_DIR}/${key}")"
    cp "${file}" "${STORE_DIR}/${key}.partial"
    mv "${STORE_DIR}/${key}.partial" "${STORE_DIR}/${key}"
    return
  fi
  status=$(s3_request "${key}" "$(sha256sum "${file}" | cut -d' ' -f1)" -T "${file}") || fail "could not reach ${S3_ENDPOINT} to store ${key}"
  [[ "${status}" == 2?? ]] || fail "$(s3_reason "${status}" "${key}")"
}

# store_get KEY FILE: writes what the store holds under KEY to FILE; returns 1 when it holds nothing.
store_get() {
  local key=$1 file=$2 status
  if [[ "${STORE_KIND}" == volume ]]; then
    [[ -f "${STORE_DIR}/${key}" ]] || return 1
    cp "${STORE_DIR}/${key}" "${file}"
    return
  fi
  status=$(s3_request "${key}" "${EMPTY_PAYLOAD_SHA256}") || fail "could not reach ${S3_ENDPOINT} to read ${key}"
  [[ "${status}" == 404 ]] && return 1
  [[ "${status}" == 2?? ]] || fail "$(s3_reason "${status}" "${key}")"
  mv "${STORE_OUT}" "${file}"
}

# store_describe: where backups go, for log lines.
store_describe() {
  if [[ "${STORE_KIND}" == volume ]]; then
    echo "the volume at ${STORE_DIR}"
  else
    echo "bucket ${S3_BUCKET} at ${S3_ENDPOINT}${S3_PREFIX:+ under ${S3_PREFIX}}"
  fi
}

# blockfile_height FILE: one more than the number of the last whole block in Fabric block file
# FILE, or nothing when it holds none. Each entry of the file is the varint length of a block,
# then the block, which starts with the varint block number (Fabric's blkstorage layout). One
# pass over the bytes: a 64 MB file costs one od and one awk, whatever its number of blocks.
blockfile_height() {
  od -An -v -tu1 "$1" | awk '
    BEGIN { state = "length"; value = 0; scale = 1; consumed = 0; last = "" }
    {
      for (i = 1; i <= NF; i++) {
        if (state == "skip") { if (--skip == 0) { last = number; state = "length" }; continue }
        byte = $i + 0
        consumed++
        value += (byte % 128) * scale
        scale *= 128
        if (byte >= 128) continue
        if (state == "length") { size = value; consumed = 0; state = "number" }
        else { number = value; skip = size - consumed; if (skip > 0) state = "skip"; else { last = number; state = "length" } }
        value = 0
        scale = 1
      }
    }
    END { if (last != "") printf "%d\n", last + 1 }'
}

# ledger_heights DIR: {"channel": height, ...} of every block store under DIR (a peer's or an
# orderer's), read from the newest block file of each channel that holds a block.
ledger_heights() {
  local heights='{}' dir file height
  while read -r dir; do
    [[ -n "${dir}" ]] || continue
    height=""
    while read -r file; do
      height=$(blockfile_height "${file}")
      [[ -z "${height}" ]] || break
    done < <(find "${dir}" -maxdepth 1 -name 'blockfile_[0-9]*' | sort -r)
    [[ -z "${height}" ]] || heights=$(jq -c --arg channel "$(basename "${dir}")" --argjson height "${height}" '.[$channel] = $height' <<<"${heights}")
  done < <(find "$1" -type f -name 'blockfile_[0-9]*' -path '*/chains/*' -exec dirname {} \; | sort -u)
  echo "${heights}"
}
