/** How compose files are read and written; not part of the API. */
package dev.ordo.compose.internal;
