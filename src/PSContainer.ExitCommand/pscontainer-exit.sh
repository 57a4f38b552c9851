#!/bin/sh
# conmon runs this a moment after a container's process ends: <dotnet> <pscontainer-exit.dll> <root> <run root> <id>.
# Usually a pwsh session has recorded the exit already (Wait-Container, Invoke-Container, Stop-Container),
# or is about to (a stop the user asked for); then there is nothing to do and no .NET process is started.
# A container its restart policy starts again (Restarting) always needs the engine.
record="$3/containers/$5/container.json"
[ -f "$record" ] || exit 0
grep -q '"Status":"\(Running\|Paused\|Restarting\)"' "$record" || exit 0
grep -q '"ManuallyStopped":true' "$record" && exit 0
exec "$1" "$2" "$3" "$4" "$5"
