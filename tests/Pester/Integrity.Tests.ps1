#Requires -Version 7.6
# Integrity end to end: Receive-Image against a hostile registry on 127.0.0.1 (a small Python server that answers
# what this file tells it), with busybox already in the store, so a layer is present and must still be proven.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:StartDirectory = [Environment]::CurrentDirectory
    $script:Root = Initialize-TestStore
    $python = '/usr/bin/python3'
    if (-not (Test-Path -LiteralPath $python -PathType Leaf)) { throw "Prerequisite $python is missing; install it with: apt-get install -y python3" }

    # busybox's layer as the store holds it: the uncompressed rootfs tar, whose digest is also its diff id.
    $script:Served = Join-Path $script:Root 'served'
    New-Item -ItemType Directory -Path $script:Served | Out-Null
    $layerFile = Join-Path $script:Root 'busybox.tar'
    $gzip = [IO.Compression.GZipStream]::new([IO.File]::OpenRead($env:PSCONTAINER_TEST_ROOTFS), [IO.Compression.CompressionMode]::Decompress)
    try { $out = [IO.File]::Create($layerFile); try { $gzip.CopyTo($out) } finally { $out.Dispose() } } finally { $gzip.Dispose() }
    $script:Layer = [pscustomobject]@{ File = $layerFile; Digest = 'sha256:' + (Get-FileHash -Algorithm SHA256 $layerFile).Hash.ToLowerInvariant(); Size = (Get-Item $layerFile).Length }

    # Serves files under $Served: <path>.body with the Content-Type in <path>.type; it prints its port when it listens.
    $server = @'
import http.server, os, sys
root = sys.argv[1]
class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def do_GET(self):
        name = os.path.join(root, self.path.strip("/").replace("/", "_").replace(":", "_"))
        if self.path == "/v2/":
            self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers(); return
        if not os.path.exists(name + ".body"):
            self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
        body = open(name + ".body", "rb").read()
        self.send_response(200)
        if os.path.exists(name + ".type"): self.send_header("Content-Type", open(name + ".type").read())
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    do_HEAD = do_GET
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
'@
    $info = [Diagnostics.ProcessStartInfo]::new($python)
    foreach ($argument in '-c', $server, $script:Served) { $info.ArgumentList.Add($argument) }
    $info.RedirectStandardOutput = $true
    $script:Server = [Diagnostics.Process]::Start($info)
    # The server binds port 0 itself and says which it got: no port can be taken from under it.
    $script:Registry = "127.0.0.1:$($script:Server.StandardOutput.ReadLine())"

    function Set-Served([string] $Path, [byte[]] $Body, [string] $ContentType) {
        $name = Join-Path $script:Served ($Path.Trim('/').Replace('/', '_').Replace(':', '_'))
        [IO.File]::WriteAllBytes("$name.body", $Body)
        if ($ContentType) { [IO.File]::WriteAllText("$name.type", $ContentType) }
    }

    function Get-Sha256([byte[]] $Bytes) { 'sha256:' + [Convert]::ToHexStringLower([Security.Cryptography.SHA256]::HashData($Bytes)) }

    # An image on busybox's layer: the config says busybox's diff id, the manifest names $LayerDigest for it.
    function Publish-Served([string] $Repository, [string] $LayerDigest, [string] $Cmd = '["sh"]', [string] $ContentType = 'application/vnd.oci.image.manifest.v1+json',
        [string] $BodyType = 'application/vnd.oci.image.manifest.v1+json') {
        $config = [Text.Encoding]::UTF8.GetBytes("{`"architecture`":`"amd64`",`"os`":`"linux`",`"config`":{`"Cmd`":$Cmd},`"rootfs`":{`"type`":`"layers`",`"diff_ids`":[`"$($script:Layer.Digest)`"]}}")
        Set-Served "/v2/$Repository/blobs/$(Get-Sha256 $config)" $config
        Set-Served "/v2/$Repository/blobs/$LayerDigest" ([IO.File]::ReadAllBytes($script:Layer.File))
        $manifest = [Text.Encoding]::UTF8.GetBytes("{`"schemaVersion`":2,`"mediaType`":`"$BodyType`",`"config`":{`"mediaType`":`"application/vnd.oci.image.config.v1+json`",`"digest`":`"$(Get-Sha256 $config)`",`"size`":$($config.Length)},`"layers`":[{`"mediaType`":`"application/vnd.oci.image.layer.v1.tar`",`"digest`":`"$LayerDigest`",`"size`":$($script:Layer.Size)}]}")
        Set-Served "/v2/$Repository/manifests/v1" $manifest $ContentType
        "$($script:Registry)/$($Repository):v1"
    }
}

AfterAll {
    if ($script:Server -and -not $script:Server.HasExited) { $script:Server.Kill(); $script:Server.WaitForExit(5000) | Out-Null }
    Remove-TestStore -Root $script:Root
    [Environment]::CurrentDirectory = $script:StartDirectory
}

Describe 'Receive-Image from a registry that lies' {
    It 'refuses a blob that does not hash to its digest, although the layer it claims is in the store' {
        $before = @(Get-Image).Count
        $reference = Publish-Served 'lying/digest' (Get-Sha256 ([Text.Encoding]::UTF8.GetBytes('not busybox')))
        { Receive-Image $reference -ErrorAction Stop } | Should -Throw -ErrorId 'DigestMismatch,PSContainer.Commands.Images.ReceiveImageCommand'
        @(Get-Image).Count | Should -Be $before
    }

    It 'refuses a manifest whose Content-Type contradicts its mediaType' {
        $reference = Publish-Served 'lying/type' $script:Layer.Digest -ContentType 'application/vnd.docker.distribution.manifest.v2+json'
        { Receive-Image $reference -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidManifest,PSContainer.Commands.Images.ReceiveImageCommand'
    }

    It 'pulls an honest image on the stored layer, with its Cmd given as a string, and runs it' {
        $reference = Publish-Served 'honest/strslice' $script:Layer.Digest -Cmd '"echo strslice-ok"'
        $image = Receive-Image $reference
        $image.Id | Should -Not -BeNullOrEmpty
        Invoke-Container $reference -Command sh, -c, 'echo layer-ok' | Should -Be 'layer-ok'
    }
}
