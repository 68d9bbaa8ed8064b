// A start that fails after the store is open must close the store cleanly: the clean-close marker is
// the proof, and without it the next start pays for the full damage scan of an "unclean" file.
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, test} from 'vitest'
import {startControlPlane} from '../../src/cluster/controlplane/control-plane.js'
import {ensureCertificates} from '../../src/cluster/pki/certificates.js'
import {SERVICE_ACCOUNT_KEY_FILE} from '../../src/cluster/pki/service-account-signer.js'
import {markerPath} from '../../src/cluster/store/clean-shutdown.js'

describe('control plane start failing after the store is open', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
  })

  test('an unreadable service-account key fails the start with its reason and closes the store cleanly', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'kcluster-startfail-'))
    dirs.push(stateDir)
    const certificates = await ensureCertificates(join(stateDir, 'pki'))
    writeFileSync(join(stateDir, 'pki', SERVICE_ACCOUNT_KEY_FILE), 'not a key\n')
    await expect(startControlPlane({name: 'startfail', stateDir, port: 0, driver: 'sim', certificates})).rejects.toThrow(/service-account key is not a PEM private key/)
    expect(existsSync(markerPath(join(stateDir, 'store.db')))).toBe(true)
  })
})
