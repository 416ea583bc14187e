# Sourced by deploy/yarn/submit.sh and deploy/k8s/submit.sh: splits their arguments at "--" into
# spark_args (spark-submit options) and job_args (the vaegan command and its options; "train"
# when none). Without "--" every argument belongs to the job.
split_submit_args() {
  spark_args=()
  job_args=("$@")
  local i
  for ((i = 0; i < $#; i++)); do
    if [ "${job_args[$i]}" = "--" ]; then
      spark_args=("${job_args[@]:0:$i}")
      job_args=("${job_args[@]:$((i + 1))}")
      break
    fi
  done
  if [ ${#job_args[@]} -eq 0 ]; then
    job_args=(train)
  fi
}
