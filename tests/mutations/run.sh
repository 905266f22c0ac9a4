#!/usr/bin/env bash
# Puts each fault of issue 12 back into the product, one at a time, and runs the model-based property against it.
# Every patch must make the property fail. Usage: [SEEDS="1 2 3"] bash tests/mutations/run.sh [patch ...]
# SEEDS: FsCheck seeds to try each patch with (default: the test's fixed seed).
# The working tree's src/ must be clean; each patch is reverted afterwards, also when interrupted.
set -u
cd "$(git rev-parse --show-toplevel)"
patches=("$@")
[ ${#patches[@]} -gt 0 ] || patches=(tests/mutations/*.patch)
status=0
for patch in "${patches[@]}"; do
  git apply "$patch" || { echo "cannot apply $patch"; status=1; continue; }
  trap 'git apply -R "$patch"' EXIT
  dotnet build tests/SafetyPlan.Tests -v q >/tmp/mutation-build.log 2>&1 || { echo "$patch: build failed"; tail -20 /tmp/mutation-build.log; }
  for seed in ${SEEDS:-default}; do
    if [ "$seed" = default ]; then unset SAFETYPLAN_MODEL_SEED; else export SAFETYPLAN_MODEL_SEED=$seed; fi
    dotnet test tests/SafetyPlan.Tests --no-build --filter "FullyQualifiedName~when_random_plans_meet_the_rules" \
      --logger "console;verbosity=detailed" >/tmp/mutation-test.log 2>&1
    rc=$?
    found=$(grep -m1 -oE "Falsifiable, after [0-9]+ tests? \([0-9]+ shrinks?\)" /tmp/mutation-test.log)
    why=$(grep -m1 -E "was answered|the product and the model differ" /tmp/mutation-test.log | sed 's/^.*ModelDisagreement: //' | cut -c1-150)
    if [ $rc -ne 0 ] && [ -n "$found" ]; then
      echo "CAUGHT  $(basename "$patch" .patch) seed $seed: $found; $why"
    else
      echo "MISSED  $(basename "$patch" .patch) seed $seed"; status=1
    fi
  done
  git apply -R "$patch"; trap - EXIT
done
dotnet build tests/SafetyPlan.Tests -v q >/dev/null 2>&1
exit $status
