// EndpointSlice table (printEndpointSlice, formatDiscoveryPorts, formatDiscoveryEndpoints in printers.go).
import type {Endpoint, EndpointPort, EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {ageColumn, column, nameColumn, since} from './format.js'
import type {TablePrinter} from './table.js'

const MAX_LISTED = 3

/** listWithMoreString: up to three items, then `+ N more...`; `<unset>` when there are none. */
function listWithMore(items: string[]): string {
  const text = items.slice(0, MAX_LISTED).join(',')
  if (items.length > MAX_LISTED) return `${text} + ${items.length - MAX_LISTED} more...`
  return text || '<unset>'
}

/** formatDiscoveryPorts: the port numbers, the name of a port without a number, `*` for neither. */
export function formatDiscoveryPorts(ports: EndpointPort[] | null | undefined): string {
  return listWithMore((ports ?? []).map((p) => (p.port !== undefined && p.port !== null ? String(p.port) : (p.name ?? '*'))))
}

/** formatDiscoveryEndpoints: every address of every endpoint. */
export function formatDiscoveryEndpoints(endpoints: Endpoint[] | null | undefined): string {
  return listWithMore((endpoints ?? []).flatMap((e) => e.addresses ?? []))
}

// Descriptions are the discovery API's field docs, as the real server takes them from SwaggerDoc().
export const endpointSlicePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column(
      'AddressType',
      'string',
      'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.',
    ),
    column(
      'Ports',
      'string',
      'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.',
    ),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const slice = obj as unknown as EndpointSlice
    return [slice.metadata?.name ?? '', slice.addressType ?? '', formatDiscoveryPorts(slice.ports), formatDiscoveryEndpoints(slice.endpoints), since(slice.metadata?.creationTimestamp, now)]
  },
}
